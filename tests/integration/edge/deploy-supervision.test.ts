// /deploy's probe and supervision against a real sshd on 127.0.0.1. The test machine runs no
// systemd (a container), so the path it can prove end to end is cron: the real `crontab` of the
// SSH user (root here) gets this node's @reboot and minute-check lines, a redeploy replaces them
// (other lines kept), the @reboot command really brings a killed runner back (its heartbeat reaches
// the broker again), and undeploy removes the lines and stops the runner. Root's crontab is saved
// before and put back after. The systemd plans are proven as data in
// tests/unit/agents/nodes/supervision.test.ts. The refusals: a `node` on the node's PATH that is
// v18 (sshd's SetEnv gives the shell a PATH with a stand-in), and an install dir that cannot be
// created; nothing is uploaded either time. And /nodes remove end to end: a deployed runner with
// an agent on it is removed (the agent comes here with its state, the crontab lines and the
// runner go, --purge deletes the install dir, --forget the secret and the pinned host key).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../server/src/agents/nodes/bundle.ts';
import { EdgeDeployer, NodeNotReady } from '../../../server/src/agents/nodes/deploy.ts';
import { NodeRemoval } from '../../../server/src/agents/nodes/node-removal.ts';
import type { SpawnConfig } from '../../../server/src/agents/spawn-config/config-schema.ts';
import { systemClock } from '../../../server/src/core/clock.ts';
import { newHostKey, startSshd, type Sshd } from '../../helpers/sshd.ts';
import { requireBinary } from '../../helpers/tools.ts';
import { EdgeWorld, waitFor } from './edge-world.ts';
import { isAlive } from '../../helpers/pid.ts';

describe('deploy: node probe and supervision (real sshd)', () => {
  let world: EdgeWorld;
  let sshd: Sshd | undefined;
  let deployer: EdgeDeployer;
  beforeEach(async () => {
    world = await new EdgeWorld().start();
  });
  afterEach(async () => {
    const pidFile = join(world.dir.path, 'pi', 'edge.pid');
    if (existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      if (isAlive(pid)) process.kill(pid, 'SIGTERM');
    }
    await sshd?.stop();
    sshd = undefined;
    await world.stop();
  });

  async function startNode(extra: string[] = []) {
    const dir = world.dir.path;
    deployer = new EdgeDeployer({ dataDir: join(dir, 'server-data'), secrets: world.secrets, skipInstall: true, supervisors: ['cron'] });
    const authorized = join(dir, 'authorized_keys');
    writeFileSync(authorized, `${await deployer.publicKey()}\n`);
    sshd = await startSshd(dir, newHostKey(join(dir, 'host_key')), authorized, extra);
    await deployer.confirmHostKey('127.0.0.1', sshd.port, (await deployer.scanHostKey('127.0.0.1', sshd.port)).fingerprint);
    return sshd.port;
  }

  it('refuses a node whose Node.js is too old, or whose install dir cannot be created, before sending anything', async () => {
    const fakeBin = join(world.dir.path, 'fake-bin');
    mkdirSync(fakeBin);
    writeFileSync(join(fakeBin, 'node'), '#!/bin/sh\necho v18.19.1\n');
    chmodSync(join(fakeBin, 'node'), 0o755);
    const port = await startNode([`SetEnv PATH=${fakeBin}:/usr/bin:/bin`]);
    const target = { node: 'rpi-old', host: '127.0.0.1', user: 'root', port, installDir: join(world.dir.path, 'pi'), broker: world.broker.url };

    const old = await deployer.deploy(target).catch((e: unknown) => e);
    expect(old).toBeInstanceOf(NodeNotReady);
    expect((old as Error).message).toMatch(new RegExp(`^node 18\\.19\\.1 found at ${fakeBin}/node on 127\\.0\\.0\\.1; the edge runner needs Node\\.js 24 or newer .*: install Node\\.js 24 system-wide`));
    expect(existsSync(join(world.dir.path, 'pi'))).toBe(false);
    expect(world.secrets.get('rpi-old')).toBeUndefined();

    const aFile = join(world.dir.path, 'a-file');
    writeFileSync(aFile, '');
    await expect(deployer.deploy({ ...target, nodeBin: process.execPath, installDir: join(aFile, 'edge') })).rejects.toThrow(
      new RegExp(`^root cannot create the install directory ${aFile}/edge on 127\\.0\\.0\\.1: ${aFile} is not a directory root may write to`),
    );
    expect(world.secrets.get('rpi-old')).toBeUndefined();
    // The name goes into a unit name and shell commands: only the runner's own names are accepted.
    await expect(deployer.deploy({ ...target, node: 'x;reboot' })).rejects.toThrow(/the node name "x;reboot" must look like rpi-kitchen/);
  });

  describe('cron (the real crontab of root)', () => {
    const crontab = () => requireBinary('crontab', ['/usr/bin/crontab']);
    const table = () => spawnSync(crontab(), ['-l'], { encoding: 'utf8' }).stdout ?? '';
    let saved: string | undefined;
    beforeEach(() => {
      const r = spawnSync(crontab(), ['-l'], { encoding: 'utf8' });
      saved = r.status === 0 ? r.stdout : undefined;
    });
    afterEach(() => {
      if (saved === undefined) spawnSync(crontab(), ['-r']);
      else execFileSync(crontab(), ['-'], { input: saved });
    });

    it('installs @reboot and minute-check entries, replaces them on redeploy, brings a killed runner back, and undeploy removes them', async () => {
      execFileSync(crontab(), ['-'], { input: `${saved ?? ''}# a line of the owner's\n` });
      const port = await startNode();
      const installDir = join(world.dir.path, 'pi');
      mkdirSync(installDir);
      symlinkSync(join(REPO_ROOT, 'node_modules'), join(installDir, 'node_modules'));
      const target = { node: 'rpi-cron', host: '127.0.0.1', user: 'root', port, installDir, broker: world.broker.url, nodeBin: process.execPath };
      const done = await deployer.deploy(target);
      expect(done.supervision).toBe('cron');
      expect(done.supervisionText).toMatch(/^supervised by cron \(the node does not run systemd\): an @reboot entry in root's crontab starts it at boot, and a check every minute restarts it if it died$/);
      await waitFor(() => world.nodes.online('rpi-cron'), 'the deployed runner to heartbeat');
      const ours = () => table().split('\n').filter((l) => l.endsWith(' # wactorz-edge:rpi-cron'));
      expect(ours()).toEqual([`@reboot /bin/sh '${installDir}/start.sh' # wactorz-edge:rpi-cron`, `* * * * * /bin/sh '${installDir}/start.sh' --if-stopped # wactorz-edge:rpi-cron`]);
      const firstPid = Number(readFileSync(join(installDir, 'edge.pid'), 'utf8'));

      // A redeploy replaces the lines (no duplicates), keeps the owner's, and replaces the runner.
      await deployer.deploy(target);
      expect(ours()).toHaveLength(2);
      expect(table()).toContain("# a line of the owner's\n");
      const pid = Number(readFileSync(join(installDir, 'edge.pid'), 'utf8'));
      expect(pid).not.toBe(firstPid);
      await waitFor(() => !isAlive(firstPid), 'the replaced runner to exit');

      // The minute check leaves a live runner alone.
      const command = (line: string) => line.replace(/^(@reboot|\* \* \* \* \*) /, '').replace(/ # wactorz-edge:rpi-cron$/, '');
      const [reboot, check] = ours().map(command);
      execFileSync('/bin/sh', ['-c', check]);
      expect(Number(readFileSync(join(installDir, 'edge.pid'), 'utf8'))).toBe(pid);

      // The runner dies; cron's @reboot command (as cron would run it, with cron's bare PATH) starts it again.
      process.kill(pid, 'SIGKILL');
      await waitFor(() => !isAlive(pid), 'the runner to die');
      const beats = () => world.messagesOn('wactorz/nodes/rpi-cron/heartbeat').length;
      const before = beats();
      execFileSync('/bin/sh', ['-c', reboot], { env: { PATH: '/usr/bin:/bin', HOME: world.dir.path } });
      const restarted = Number(readFileSync(join(installDir, 'edge.pid'), 'utf8'));
      expect(restarted).not.toBe(pid);
      await waitFor(() => beats() > before, 'a heartbeat from the restarted runner');

      const removed = await deployer.undeploy(target);
      expect(removed).toEqual(['removed the crontab entries', 'stopped the runner started by start.sh']);
      expect(ours()).toEqual([]);
      expect(table()).toContain("# a line of the owner's\n");
      await waitFor(() => !isAlive(restarted), 'the undeployed runner to exit');
    }, 90_000); // a bound on a hang, not a speed assertion: two deploys and three runner starts

    it('/nodes remove: records the supervision at deploy, moves the agent here with its state, undeploys, purges and forgets', async () => {
      const port = await startNode();
      const installDir = join(world.dir.path, 'pi');
      mkdirSync(installDir);
      symlinkSync(join(REPO_ROOT, 'node_modules'), join(installDir, 'node_modules'));
      await deployer.deploy({ node: 'rpi-gone', host: '127.0.0.1', user: 'root', port, installDir, broker: world.broker.url, nodeBin: process.execPath });
      expect(world.secrets.get('rpi-gone')).toMatchObject({ supervision: 'cron', undeployedAt: null });
      await waitFor(() => world.nodes.online('rpi-gone'), 'the deployed runner to heartbeat');
      expect((await world.directory.list()).find((n) => n.name === 'rpi-gone')).toMatchObject({ supervision: 'cron', undeployed_at: null });
      const code = `async function setup(agent) { agent.persist('boots', agent.recall('boots', 0) + 1); }
async function handleTask(agent) { return { boots: agent.recall('boots', 0) }; }`;
      await world.agents.spawner.spawn({ type: 'dynamic', name: 'hall-counter', node: 'rpi-gone', code, poll_interval: 3600 } as SpawnConfig, { by: 'user' });
      const pid = Number(readFileSync(join(installDir, 'edge.pid'), 'utf8'));

      const removal = new NodeRemoval({ secrets: world.secrets, remote: world.nodes, deployer, registry: world.registry, clock: systemClock });
      const answer = await removal.remove({ node: 'rpi-gone', forget: true, purge: true });
      expect(answer.split('\n')).toEqual([
        'Removed node rpi-gone.',
        'Agents:',
        '  hall-counter: moved to this add-on with its saved state',
        `On the node: removed the crontab entries; stopped the runner started by start.sh; deleted ${installDir}.`,
        'Forgot its secret and the pinned host key of 127.0.0.1.',
      ]);
      // Its persisted counter came along: the start here is its second.
      expect(await world.system.ask('hall-counter', {})).toEqual({ boots: 2 });
      expect(world.registry.get('hall-counter')?.node).toBeUndefined();
      expect(table()).not.toContain('wactorz-edge:rpi-gone');
      await waitFor(() => !isAlive(pid), 'the removed runner to exit');
      expect(existsSync(installDir)).toBe(false);
      expect(existsSync(REPO_ROOT)).toBe(true);
      expect(world.secrets.get('rpi-gone')).toBeUndefined();
      expect(await deployer.isConfirmed('127.0.0.1', port)).toBe(false);
    }, 90_000); // a bound on a hang, not a speed assertion
  });
});
