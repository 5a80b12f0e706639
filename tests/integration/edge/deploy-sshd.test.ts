// /deploy against a real sshd on 127.0.0.1 (a free port, a temp host key, an authorized_keys with
// Wactorz's generated key): the host key must be confirmed first, a wrong or changed key is refused,
// the bundle and the secret arrive, and the start command really starts the edge runner (its
// heartbeat reaches the broker). npm install on the node is skipped by a flag: the runner uses the
// repository's node_modules through a symlink instead.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EdgeDeployer, HostKeyNotConfirmed } from '../../../server/src/agents/nodes/deploy.ts';
import { REPO_ROOT } from '../../../server/src/agents/nodes/bundle.ts';
import { freePort } from '../../helpers/brokers.ts';
import { requireBinary } from '../../helpers/tools.ts';
import { EdgeWorld, waitFor } from './edge-world.ts';

interface Sshd {
  port: number;
  stop(): Promise<void>;
}

async function startSshd(dir: string, hostKey: string, authorizedKeys: string): Promise<Sshd> {
  const sshd = requireBinary('sshd', ['/usr/sbin/sshd']);
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // privilege separation dir sshd insists on
  const port = await freePort();
  const config = join(dir, `sshd-${port}.conf`);
  writeFileSync(config, [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${hostKey}`, `AuthorizedKeysFile ${authorizedKeys}`, `PidFile ${join(dir, `sshd-${port}.pid`)}`,
    'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'PubkeyAuthentication yes', 'PermitRootLogin prohibit-password', 'StrictModes no', 'UsePAM no', 'Subsystem sftp internal-sftp', '',
  ].join('\n'));
  const proc: ChildProcess = spawn(sshd, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  await waitFor(() => {
    if (proc.exitCode !== null) throw new Error(`sshd exited: ${err}`);
    try {
      execFileSync('ssh-keyscan', ['-T', '2', '-p', String(port), '127.0.0.1'], { stdio: 'pipe' });
      return true;
    } catch {
      return false;
    }
  }, 'sshd to listen');
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

function newHostKey(path: string): string {
  execFileSync(requireBinary('ssh-keygen'), ['-q', '-t', 'ed25519', '-N', '', '-f', path]);
  return path;
}

describe('deploy over SSH (real sshd)', () => {
  let world: EdgeWorld;
  let sshd: Sshd | undefined;
  beforeEach(async () => {
    world = await new EdgeWorld().start();
  });
  afterEach(async () => {
    const pidFile = join(world.dir.path, 'pi', 'edge.pid');
    if (existsSync(pidFile)) {
      try {
        process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await sshd?.stop();
    await world.stop();
  });

  it('requires the host key to be confirmed, uploads runner and secret, starts the runner; refuses a changed key', async () => {
    requireBinary('ssh');
    requireBinary('scp');
    requireBinary('ssh-keyscan');
    const dir = world.dir.path;
    const deployer = new EdgeDeployer({ dataDir: join(dir, 'server-data'), secrets: world.secrets, skipInstall: true });
    const publicKey = await deployer.publicKey();
    expect(publicKey).toMatch(/^ssh-ed25519 \S+ wactorz$/);
    expect(statSync(deployer.keyFile).mode & 0o077).toBe(0);
    const authorized = join(dir, 'authorized_keys');
    writeFileSync(authorized, `${publicKey}\n`);
    sshd = await startSshd(dir, newHostKey(join(dir, 'host_key')), authorized);

    const installDir = join(dir, 'pi');
    mkdirSync(installDir);
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(installDir, 'node_modules'));
    const target = { node: 'rpi-kitchen', host: '127.0.0.1', user: 'root', port: sshd.port, installDir, broker: world.broker.url, nodeBin: process.execPath };

    // First deploy: refused until the fingerprint is confirmed; nothing is uploaded.
    const refused = await deployer.deploy(target).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HostKeyNotConfirmed);
    const fingerprint = (refused as HostKeyNotConfirmed).fingerprint;
    const expected = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'host_key.pub')]).toString().split(/\s+/)[1];
    expect(fingerprint).toBe(expected);
    expect(existsSync(join(installDir, 'secret'))).toBe(false);
    await expect(deployer.confirmHostKey('127.0.0.1', sshd.port, 'SHA256:not-the-real-one')).rejects.toThrow(/nothing was trusted/);
    expect(await deployer.isConfirmed('127.0.0.1', sshd.port)).toBe(false);

    await deployer.confirmHostKey('127.0.0.1', sshd.port, fingerprint);
    const done = await deployer.deploy(target);
    expect(done.installDir).toBe(installDir);
    for (const f of ['package.json', 'edge-runner/src/main.ts', 'server/src/sandbox/agent.ts', 'server/src/agents/nodes/protocol.ts', 'start.sh']) expect(existsSync(join(installDir, f)), f).toBe(true);
    expect(existsSync(join(installDir, 'server/src/bus/mqtt-bus.ts'))).toBe(false);
    expect(readFileSync(join(installDir, 'secret'), 'utf8')).toBe(world.secrets.secretOf('rpi-kitchen'));
    expect(statSync(join(installDir, 'secret')).mode & 0o077).toBe(0);
    expect(world.secrets.get('rpi-kitchen')).toMatchObject({ host: '127.0.0.1', sshUser: 'root', sshPort: sshd.port });

    // The start command ran: the deployed runner heartbeats and takes a signed spawn.
    await waitFor(() => world.nodes.online('rpi-kitchen'), 'the deployed runner to heartbeat');
    expect(existsSync(join(installDir, 'edge.pid'))).toBe(true);
    const outcome = await world.agents.spawner.spawn(
      { type: 'dynamic', name: 'hello', node: 'rpi-kitchen', code: 'async function setup(agent) { await agent.publish("custom/hello", { from: "pi" }); }' } as never,
      { by: 'user' },
    );
    expect(outcome.status).toBe('spawned');
    expect(await waitFor(() => world.messagesOn('wactorz/custom/hello')[0], 'hello')).toEqual({ from: 'pi' });

    // The node is reinstalled (new host key on the same address): ssh refuses, nothing is sent.
    await sshd.stop();
    sshd = await startSshd(dir, newHostKey(join(dir, 'host_key_2')), authorized);
    const changed = { ...target, port: sshd.port };
    await deployer.confirmHostKey('127.0.0.1', sshd.port, (await deployer.scanHostKey('127.0.0.1', sshd.port)).fingerprint);
    writeFileSync(deployer.knownHostsFile, readFileSync(deployer.knownHostsFile, 'utf8').replace(/ssh-ed25519 \S+\n$/, `${readFileSync(join(dir, 'host_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ')}\n`));
    await expect(deployer.deploy(changed)).rejects.toThrow(/does not match the confirmed one: refusing to deploy/);
  });
});
