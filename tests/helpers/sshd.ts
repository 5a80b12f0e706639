// A real OpenSSH server for /deploy tests and the container check: sshd on 127.0.0.1, a free port,
// a host key of the caller's, an authorized_keys file read at each login (so Wactorz's key can be
// added after the start), SFTP through internal-sftp. Only the server side uses OpenSSH programs:
// Wactorz itself deploys with ssh2. Readiness is seen as the SSH banner on the port, so no client
// program is needed here either.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from './brokers.ts';
import { requireBinary } from './tools.ts';

export interface Sshd {
  port: number;
  stop(): Promise<void>;
}

/** A new ed25519 host key at `path` (and `path`.pub); returns `path`. */
export function newHostKey(path: string): string {
  execFileSync(requireBinary('ssh-keygen'), ['-q', '-t', 'ed25519', '-N', '', '-f', path]);
  return path;
}

/** What `ssh-keygen -lf` prints as the SHA256 fingerprint of a public key file, for the test to compare with. */
export function fingerprintOfFile(pubFile: string): string {
  return execFileSync(requireBinary('ssh-keygen'), ['-l', '-E', 'sha256', '-f', pubFile]).toString().split(/\s+/)[1] ?? '';
}

/** The `ssh-ed25519 <base64>` part of a public key file. */
export function publicKeyBody(pubFile: string): string {
  return readFileSync(pubFile, 'utf8').split(' ').slice(0, 2).join(' ');
}

function banner(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.setTimeout(1000);
    s.once('data', (d: Buffer) => {
      s.destroy();
      resolve(d.toString().startsWith('SSH-2.0'));
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

/** `extra`: more sshd_config lines, e.g. `SetEnv PATH=...` to give the node's shell another PATH. */
export async function startSshd(dir: string, hostKey: string, authorizedKeys: string, extra: readonly string[] = []): Promise<Sshd> {
  const sshd = requireBinary('sshd', ['/usr/sbin/sshd']);
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // privilege separation dir sshd insists on
  const port = await freePort();
  const config = join(dir, `sshd-${port}.conf`);
  writeFileSync(config, [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${hostKey}`, `AuthorizedKeysFile ${authorizedKeys}`, `PidFile ${join(dir, `sshd-${port}.pid`)}`,
    'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'PubkeyAuthentication yes', 'PermitRootLogin prohibit-password', 'StrictModes no', 'UsePAM no', 'Subsystem sftp internal-sftp', ...extra, '',
  ].join('\n'));
  const proc: ChildProcess = spawn(sshd, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  // A bound on a hang, not a speed assertion.
  for (let i = 0; ; i++) {
    if (proc.exitCode !== null) throw new Error(`sshd exited: ${err}`);
    if (await banner(port)) break;
    if (i > 300) {
      proc.kill('SIGTERM');
      throw new Error(`sshd did not listen on ${port}: ${err}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}
