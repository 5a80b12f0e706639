// /deploy against a real sshd on 127.0.0.1 (a free port, a temp host key, an authorized_keys with
// Wactorz's generated key): the host key must be confirmed first, a wrong or changed key is refused,
// the bundle and the secret arrive, and the start command really starts the edge runner (its
// heartbeat reaches the broker). npm install on the node is skipped by a flag: the runner uses the
// repository's node_modules through a symlink instead. Wactorz's side runs with no OpenSSH program
// on its PATH (ssh2 in-process, as in the add-on image); sshd and ssh-keygen serve the node's side.
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EdgeDeployer, HostKeyNotConfirmed } from '../../../server/src/agents/nodes/deploy.ts';
import { REPO_ROOT } from '../../../server/src/agents/nodes/bundle.ts';
import { freePort } from '../../helpers/brokers.ts';
import { fingerprintOfFile, newHostKey, publicKeyBody, startSshd, type Sshd } from '../../helpers/sshd.ts';
import { findBinary } from '../../helpers/tools.ts';
import { EdgeWorld, waitFor } from './edge-world.ts';

/** Runs `fn` with a PATH that holds only Node's own directory: Wactorz must need no OpenSSH program. */
async function withoutOpenSsh<T>(fn: () => Promise<T>): Promise<T> {
  const saved = process.env.PATH;
  process.env.PATH = dirname(process.execPath);
  try {
    for (const tool of ['ssh', 'scp', 'ssh-keygen', 'ssh-keyscan']) expect(findBinary(tool), tool).toBeUndefined();
    return await fn();
  } finally {
    process.env.PATH = saved;
  }
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
    const dir = world.dir.path;
    // No supervisor: this machine's own crontab and units are not the test's (deploy-supervision.test.ts proves cron).
    const deployer = new EdgeDeployer({ dataDir: join(dir, 'server-data'), secrets: world.secrets, skipInstall: true, supervisors: [] });
    const publicKey = await withoutOpenSsh(() => deployer.publicKey());
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
    const refused = await withoutOpenSsh(() => deployer.deploy(target).catch((e: unknown) => e));
    expect(refused).toBeInstanceOf(HostKeyNotConfirmed);
    const fingerprint = (refused as HostKeyNotConfirmed).fingerprint;
    expect(fingerprint).toBe(fingerprintOfFile(join(dir, 'host_key.pub')));
    expect(existsSync(join(installDir, 'secret'))).toBe(false);
    await expect(deployer.confirmHostKey('127.0.0.1', sshd.port, 'SHA256:not-the-real-one')).rejects.toThrow(/nothing was trusted/);
    expect(await deployer.isConfirmed('127.0.0.1', sshd.port)).toBe(false);

    const done = await withoutOpenSsh(async () => {
      await deployer.confirmHostKey('127.0.0.1', sshd!.port, fingerprint);
      return deployer.deploy(target);
    });
    expect(done.installDir).toBe(installDir);
    expect(done.supervision).toBe('none');
    expect(done.supervisionText).toMatch(/^NOT supervised: .*will not come back after a reboot or a crash/);
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
    writeFileSync(deployer.knownHostsFile, readFileSync(deployer.knownHostsFile, 'utf8').replace(/ssh-ed25519 \S+\n$/, `${publicKeyBody(join(dir, 'host_key.pub'))}\n`));
    await expect(deployer.deploy(changed)).rejects.toThrow(/does not match the confirmed one: refusing to deploy/);
  });

  it('says why a deploy cannot go ahead: unreachable host, refused key, no Node.js on the node', async () => {
    const dir = world.dir.path;
    const deployer = new EdgeDeployer({ dataDir: join(dir, 'server-data'), secrets: world.secrets, skipInstall: true, supervisors: [] });
    const closed = await freePort();
    await expect(withoutOpenSsh(() => deployer.scanHostKey('127.0.0.1', closed))).rejects.toThrow(/cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);

    const authorized = join(dir, 'authorized_keys');
    writeFileSync(authorized, ''); // Wactorz's key not added yet
    sshd = await startSshd(dir, newHostKey(join(dir, 'host_key')), authorized);
    const target = { node: 'rpi-hall', host: '127.0.0.1', user: 'root', port: sshd.port, installDir: join(dir, 'pi'), broker: world.broker.url, nodeBin: process.execPath };
    await deployer.confirmHostKey('127.0.0.1', sshd.port, (await deployer.scanHostKey('127.0.0.1', sshd.port)).fingerprint);
    await expect(withoutOpenSsh(() => deployer.deploy(target))).rejects.toThrow(/root@127\.0\.0\.1:\d+ refused Wactorz's key: add Wactorz's public key to ~\/\.ssh\/authorized_keys/);

    writeFileSync(authorized, `${await deployer.publicKey()}\n`);
    await expect(withoutOpenSsh(() => deployer.deploy({ ...target, nodeBin: join(dir, 'no-such-node') }))).rejects.toThrow(/no Node\.js on 127\.0\.0\.1/);
    // Nothing was sent: the check comes before the upload.
    expect(existsSync(join(dir, 'pi', 'edge-runner'))).toBe(false);
    expect(world.secrets.get('rpi-hall')).toBeUndefined();
  });
});
