// SSH for /deploy through the ssh2 library, in-process: the add-on image carries no OpenSSH
// programs and its AppArmor profile lets the server run no other program. ssh2 is imported on the
// first use, so a home that never deploys never loads it. Only ed25519 host keys are offered and
// pinned (what ssh-keyscan -t ed25519 fetched before), and every failure says which step failed and
// what to check on the node: unreachable host, refused key, changed host key, a command's stderr.
import { createHash } from 'node:crypto';
import type * as Ssh2Module from 'ssh2';
import type { Client, ClientChannel, ConnectConfig, SFTPWrapper } from 'ssh2';

const CONNECT_TIMEOUT_MS = 15_000;
const HOST_KEY_ALGORITHMS = ['ssh-ed25519'] as const;
const UPLOAD_PARALLEL = 8;

type Ssh2 = typeof Ssh2Module;
let ssh2: Promise<Ssh2> | undefined;
// ssh2 is CommonJS; its module.exports arrives as the default export.
const loadSsh2 = () => (ssh2 ??= import('ssh2').then((m) => (m as unknown as { default: Ssh2 }).default));

/** A new ed25519 key pair: the private key in OpenSSH format, the public one as an authorized_keys line. */
export async function generateKeyPair(comment: string): Promise<{ privateKey: string; publicKey: string }> {
  const { utils } = await loadSsh2();
  const pair = utils.generateKeyPairSync('ed25519', { comment });
  return { privateKey: pair.private, publicKey: pair.public.trim() };
}

/** OpenSSH's SHA256 fingerprint of a host key blob (what `ssh-keygen -l -E sha256` prints). */
export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

export interface SshEndpoint {
  host: string;
  port: number;
}

/** Why a connection failed, in words a user can act on. */
function explain(err: Error & { level?: string; code?: string }, to: SshEndpoint & { user?: string }): Error {
  const where = `${to.host}:${to.port}`;
  if (err.level === 'client-authentication') return new Error(`${to.user ?? 'the user'}@${where} refused Wactorz's key: add Wactorz's public key to ~/.ssh/authorized_keys of ${to.user ?? 'that user'} on the node`, { cause: err });
  if (err.level === 'client-timeout') return new Error(`${where} did not answer the SSH handshake within ${CONNECT_TIMEOUT_MS / 1000} s (is the node on, and sshd running there?)`, { cause: err });
  if (err.level === 'handshake' && /host key/i.test(err.message)) return new Error(`${where} did not offer an ed25519 host key (is sshd running there?)`, { cause: err });
  if (err.level === 'client-socket' || err.level === 'client-dns' || err.code) return new Error(`cannot reach ${where} (${err.code ?? err.message}): is the node on, the address right, and sshd running there?`, { cause: err });
  return new Error(`SSH to ${where} failed: ${err.message}`, { cause: err });
}

function connect(config: ConnectConfig, onError: (err: Error) => Error): Promise<Client> {
  return loadSsh2().then(
    ({ Client }) =>
      new Promise<Client>((resolve, reject) => {
        const client = new Client();
        client.once('ready', () => resolve(client));
        client.once('error', (err) => {
          client.end();
          reject(onError(err));
        });
        client.connect({ readyTimeout: CONNECT_TIMEOUT_MS, algorithms: { serverHostKey: [...HOST_KEY_ALGORITHMS] }, ...config });
      }),
  );
}

/** The host's ed25519 key blob as offered now; the connection ends before authentication. */
export async function fetchHostKey(to: SshEndpoint): Promise<Buffer> {
  let offered: Buffer | undefined;
  try {
    const hostVerifier = (key: Buffer) => {
      offered = Buffer.from(key);
      return false; // refused on purpose: only the key was wanted
    };
    (await connect({ host: to.host, port: to.port, username: 'wactorz', hostVerifier }, (err) => explain(err, to))).end();
  } catch (err) {
    if (offered) return offered;
    throw err;
  }
  throw new Error(`${to.host}:${to.port} ended the connection before showing its host key`);
}

export interface SessionOptions extends SshEndpoint {
  user: string;
  privateKey: string;
  /** Host key blobs confirmed for this host; any other key ends the connection before authentication. */
  pinned: readonly Buffer[];
  /** The message for a host key that is not among `pinned`. */
  changedKeyMessage: string;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** One authenticated connection: commands over exec, files over SFTP. */
export class SshSession {
  readonly #client: Client;
  readonly #to: SshEndpoint;

  private constructor(client: Client, to: SshEndpoint) {
    this.#client = client;
    this.#to = to;
  }

  static async open(o: SessionOptions): Promise<SshSession> {
    let changed = false;
    const client = await connect(
      {
        host: o.host,
        port: o.port,
        username: o.user,
        privateKey: o.privateKey,
        hostVerifier: (key: Buffer) => {
          changed = !o.pinned.some((p) => p.equals(key));
          return !changed;
        },
      },
      (err) => (changed ? new Error(o.changedKeyMessage, { cause: err }) : explain(err, { ...o })),
    );
    return new SshSession(client, o);
  }

  /** Runs `command` in the user's login directory; resolves with its exit code, never rejects on one. */
  exec(command: string, timeoutMs = 120_000): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      this.#client.exec(command, (err, stream: ClientChannel) => {
        if (err) return reject(new Error(`could not run a command on ${this.#to.host}: ${err.message}`, { cause: err }));
        let stdout = '';
        let stderr = '';
        const timer = setTimeout(() => {
          stream.close();
          reject(new Error(`\`${command}\` on ${this.#to.host} did not finish within ${timeoutMs / 1000} s`));
        }, timeoutMs);
        stream.on('data', (d: Buffer) => (stdout += d.toString()));
        stream.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        stream.on('close', (code: number | null, signal?: string) => {
          clearTimeout(timer);
          resolve({ code: code ?? (signal ? 128 : 255), stdout, stderr });
        });
      });
    });
  }

  /** Like exec, but a non-zero exit is an error carrying the command's stderr. */
  async run(command: string, what: string, timeoutMs?: number): Promise<string> {
    const r = await this.exec(command, timeoutMs);
    if (r.code !== 0) throw new Error(`${what} failed on ${this.#to.host} (exit ${r.code}): ${r.stderr.trim() || r.stdout.trim() || 'no output'}`);
    return r.stdout;
  }

  /** Writes each file (its parent directories must exist) over one SFTP channel. */
  async upload(files: readonly { path: string; data: string | Buffer; mode: number }[]): Promise<void> {
    const sftp = await new Promise<SFTPWrapper>((resolve, reject) =>
      this.#client.sftp((err, s) => (err ? reject(new Error(`SFTP to ${this.#to.host} is not available (is the sftp subsystem enabled in sshd_config?): ${err.message}`, { cause: err })) : resolve(s))),
    );
    const write = (f: (typeof files)[number]) =>
      new Promise<void>((resolve, reject) =>
        sftp.writeFile(f.path, f.data, { mode: f.mode }, (err) => (err ? reject(new Error(`uploading ${f.path} to ${this.#to.host} failed: ${err.message}`, { cause: err })) : resolve())),
      );
    try {
      // A few writes in flight on the one channel: each file costs several round trips, and the
      // bundle has dozens of files (one at a time took ~10 s on loopback).
      let next = 0;
      const worker = async () => {
        while (next < files.length) await write(files[next++]);
      };
      await Promise.all(Array.from({ length: Math.min(UPLOAD_PARALLEL, files.length) }, worker));
    } finally {
      sftp.end();
    }
  }

  close(): void {
    this.#client.end();
  }
}
