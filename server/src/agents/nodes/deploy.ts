// /deploy over SSH with the system's openssh client. Host keys are checked (StrictHostKeyChecking=yes
// against Wactorz's own known_hosts): the first deploy to a host shows the fingerprint obtained with
// ssh-keyscan and stops until the user confirms exactly that fingerprint; a changed key is refused
// by ssh itself. Authentication is by an ed25519 key pair generated for Wactorz in the data dir
// (the user adds its public key to the node's authorized_keys): no password is asked or stored.
// The node gets the edge bundle (bundle.ts), its secret (mode 600), npm install, and a start.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeEdgeBundle } from './bundle.ts';
import type { NodeSecretStore } from './secrets.ts';

export interface DeployTarget {
  node: string;
  host: string;
  user: string;
  port?: number;
  /** Where on the node the runner lives (default: wactorz-edge in the user's home). */
  installDir?: string;
  /** The broker URL as the node reaches it (the LAN address, never localhost of the server). */
  broker: string;
  root?: string;
  /** The node's Node.js 24 binary (default: node on its PATH). */
  nodeBin?: string;
}

export interface DeployOptions {
  /** The server's data dir: the SSH key pair and known_hosts live in <dataDir>/ssh. */
  dataDir: string;
  secrets: NodeSecretStore;
  /** Tests only: skip `npm install` on the node (the start command still runs). */
  skipInstall?: boolean;
}

export class HostKeyNotConfirmed extends Error {
  override readonly name = 'HostKeyNotConfirmed';
  readonly fingerprint: string;
  constructor(host: string, fingerprint: string) {
    super(`The host key of ${host} is not confirmed yet. Its fingerprint is ${fingerprint}. Check it on the node (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) and confirm it to deploy.`);
    this.fingerprint = fingerprint;
  }
}

interface Run {
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: readonly string[], input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { timeout: 120_000, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} failed: ${stderr.trim() || err.message}`, { cause: err }));
      else resolve({ stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export class EdgeDeployer {
  readonly #o: DeployOptions;
  readonly #dir: string;

  constructor(options: DeployOptions) {
    this.#o = options;
    this.#dir = join(options.dataDir, 'ssh');
  }

  get knownHostsFile(): string {
    return join(this.#dir, 'known_hosts');
  }

  get keyFile(): string {
    return join(this.#dir, 'id_ed25519');
  }

  /** Wactorz's public key (created on first use), for the node's authorized_keys. */
  async publicKey(): Promise<string> {
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    if (!existsSync(this.keyFile)) await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'wactorz', '-f', this.keyFile]);
    return readFileSync(`${this.keyFile}.pub`, 'utf8').trim();
  }

  /** The host's ed25519 key as offered now, and its SHA256 fingerprint, for the user to compare. */
  async scanHostKey(host: string, port = 22): Promise<{ fingerprint: string; line: string }> {
    const { stdout } = await run('ssh-keyscan', ['-T', '10', '-t', 'ed25519', '-p', String(port), host]);
    const line = stdout.split('\n').find((l) => l.trim() !== '' && !l.startsWith('#'));
    if (!line) throw new Error(`${host}:${port} did not offer an ed25519 host key (is sshd running there?)`);
    const { stdout: fp } = await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', '-'], line);
    const fingerprint = fp.split(/\s+/)[1] ?? '';
    return { fingerprint, line: line.trim() };
  }

  isConfirmed(host: string, port = 22): Promise<boolean> {
    if (!existsSync(this.knownHostsFile)) return Promise.resolve(false);
    return run('ssh-keygen', ['-F', port === 22 ? host : `[${host}]:${port}`, '-f', this.knownHostsFile]).then(
      () => true,
      () => false,
    );
  }

  /** Trusts the host's key only when it still has the fingerprint the user read and confirmed. */
  async confirmHostKey(host: string, port: number, fingerprint: string): Promise<void> {
    const scanned = await this.scanHostKey(host, port);
    if (scanned.fingerprint !== fingerprint) throw new Error(`the host key of ${host} is ${scanned.fingerprint}, not the confirmed ${fingerprint}; nothing was trusted`);
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    appendFileSync(this.knownHostsFile, `${scanned.line}\n`, { mode: 0o600 });
  }

  #sshArgs(): string[] {
    return [
      '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${this.knownHostsFile}`, '-o', 'GlobalKnownHostsFile=/dev/null',
      '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', 'PasswordAuthentication=no', '-o', 'ConnectTimeout=15', '-i', this.keyFile,
    ];
  }

  #ssh(t: DeployTarget, command: string): Promise<Run> {
    return run('ssh', [...this.#sshArgs(), '-p', String(t.port ?? 22), `${t.user}@${t.host}`, command]).catch((err: unknown) => {
      const m = err instanceof Error ? err.message : String(err);
      if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/.test(m)) throw new Error(`the host key of ${t.host} does not match the confirmed one: refusing to deploy (if the node was reinstalled, remove it from ${this.knownHostsFile} and confirm the new key)`, { cause: err });
      throw err;
    });
  }

  /** Uploads the runner and the node's secret, installs, starts. Returns what was done, for the user. */
  async deploy(t: DeployTarget): Promise<{ installDir: string; files: number; publicKey: string }> {
    const port = t.port ?? 22;
    const publicKey = await this.publicKey();
    if (!(await this.isConfirmed(t.host, port))) throw new HostKeyNotConfirmed(t.host, (await this.scanHostKey(t.host, port)).fingerprint);
    const dir = t.installDir ?? 'wactorz-edge';
    await this.#ssh(t, `mkdir -p ${quote(dir)}/data && chmod 700 ${quote(dir)}`);

    const secret = this.#o.secrets.ensure(t.node, { host: t.host, sshUser: t.user, sshPort: port, installDir: dir });
    const staging = mkdtempSync(join(tmpdir(), 'wactorz-deploy-'));
    try {
      const files = writeEdgeBundle(staging);
      writeFileSync(join(staging, 'secret'), secret, { mode: 0o600 });
      const node = t.nodeBin ?? 'node';
      const args = ['--broker', t.broker, '--name', t.node, '--secret-file', `${dir}/secret`, '--data-dir', `${dir}/data`, '--root', t.root ?? 'wactorz'].map(quote).join(' ');
      // Restarting replaces the previous runner (its pid file), so a redeploy never runs two.
      writeFileSync(
        join(staging, 'start.sh'),
        `#!/bin/sh\ncd "$(dirname "$0")" || exit 1\nif [ -f edge.pid ]; then kill "$(cat edge.pid)" 2>/dev/null; fi\ncd .. || exit 1\nnohup ${quote(node)} --no-node-snapshot ${quote(dir)}/edge-runner/src/main.ts ${args} < /dev/null > ${quote(dir)}/edge.log 2>&1 &\necho $! > ${quote(dir)}/edge.pid\n`,
        { mode: 0o755 },
      );
      await run('scp', [...this.#sshArgs(), '-q', '-r', '-P', String(port), join(staging, 'edge-runner'), join(staging, 'server'), join(staging, 'package.json'), join(staging, 'secret'), join(staging, 'start.sh'), `${t.user}@${t.host}:${dir}/`]);
      await this.#ssh(t, `chmod 600 ${quote(dir)}/secret`);
      if (!this.#o.skipInstall) await this.#ssh(t, `cd ${quote(dir)} && npm install --omit=dev --no-audit --no-fund`);
      await this.#ssh(t, `sh ${quote(dir)}/start.sh`);
      return { installDir: dir, files: files.length, publicKey };
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
}
