// The node probe's parsing, the requirement refusals, and the supervision plan for every kind of
// node (root with systemd, a user with lingering, a user with passwordless sudo, a user who may
// only try to enable lingering, cron only, nothing). The crontab edit runs in a real sh against a
// stand-in `crontab` that keeps its table in a file, so the marker and quoting are proven too.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseProbe, requirementProblem, type NodeProbe } from '../../../../server/src/agents/nodes/node-probe.ts';
import { removalScript } from '../../../../server/src/agents/nodes/supervise.ts';
import { cronLines, crontabEdit, describeSupervision, planSupervision, startScript, unitFile } from '../../../../server/src/agents/nodes/supervision.ts';
import { makeTempDir } from '../../../helpers/tmp.ts';

const base: NodeProbe = {
  user: 'pi', uid: 1000, home: '/home/pi', path: '/usr/bin:/bin', nodePath: '/usr/bin/node', nodeVersion: 'v24.3.0', npm: true,
  installDir: '/home/pi/wactorz-edge', writableBase: '/home/pi', writable: true,
  systemd: true, systemdVersion: 252, userManager: true, linger: false, loginctl: true, sudo: false, crontab: true,
};
const probe = (o: Partial<NodeProbe>): NodeProbe => ({ ...base, ...o });
const at = { host: 'rpi.local', nodeBin: 'node', needNpm: true };

describe('node probe', () => {
  it('parses the probe script output', () => {
    const p = parseProbe(['user=pi', 'uid=1000', 'home=/home/pi', 'path=/usr/local/bin:/usr/bin', 'node_path=/usr/bin/node', 'node_version=v24.1.0', 'npm=yes', 'install_dir=/home/pi/wactorz-edge/', 'writable_base=/home/pi', 'writable=yes', 'systemd=yes', 'systemd_version=256', 'loginctl=yes', 'linger=no', 'crontab=yes', ''].join('\n'));
    expect(p).toEqual({ ...base, path: '/usr/local/bin:/usr/bin', nodeVersion: 'v24.1.0', systemdVersion: 256, userManager: false });
  });

  it('accepts Node.js 24 and newer with npm and a writable dir', () => {
    expect(requirementProblem(base, at)).toBeUndefined();
    expect(requirementProblem(probe({ nodeVersion: 'v25.0.1' }), at)).toBeUndefined();
    expect(requirementProblem(probe({ npm: false }), { ...at, needNpm: false })).toBeUndefined();
  });

  it('refuses an old Node.js, naming the version, where it was found and how to install 24', () => {
    const msg = requirementProblem(probe({ nodeVersion: 'v18.19.1' }), at);
    expect(msg).toMatch(/^node 18\.19\.1 found at \/usr\/bin\/node on rpi\.local; the edge runner needs Node\.js 24 or newer/);
    expect(msg).toMatch(/setup_24\.x .*apt-get install -y nodejs/);
  });

  it('refuses a missing Node.js, a binary that is not Node.js, missing npm, and an unwritable install dir', () => {
    expect(requirementProblem(probe({ nodePath: '', nodeVersion: '' }), at)).toMatch(/^no Node\.js on rpi\.local: `node` is not on the PATH of pi in a non-interactive SSH shell \(PATH=\/usr\/bin:\/bin\)/);
    expect(requirementProblem(probe({ nodeVersion: 'hello' }), at)).toMatch(/did not answer `--version` like Node\.js \(printed "hello"\)/);
    expect(requirementProblem(probe({ npm: false }), at)).toMatch(/npm is not/);
    expect(requirementProblem(probe({ writable: false, writableBase: '/opt' }), at)).toMatch(/^pi cannot create the install directory \/home\/pi\/wactorz-edge on rpi\.local: \/opt is not a directory pi may write to/);
    expect(requirementProblem(probe({ user: '', home: '' }), at)).toMatch(/could not inspect rpi\.local/);
  });
});

describe('supervision plan', () => {
  it('root with systemd: a system service', () => {
    expect(planSupervision(probe({ user: 'root', uid: 0, userManager: false }), 'kitchen')).toEqual({ kind: 'systemd', unit: 'wactorz-edge-kitchen.service', sudo: false, systemdVersion: 252 });
  });

  it('a user with lingering: a user service (cron only as its fallback)', () => {
    expect(planSupervision(probe({ linger: true, sudo: true }), 'kitchen')).toEqual({ kind: 'systemd-user', unit: 'wactorz-edge-kitchen.service', enableLinger: false, systemdVersion: 252, fallback: { kind: 'cron', why: expect.any(String) as string } });
  });

  it('a user without lingering but with passwordless sudo: a system service that runs as that user', () => {
    expect(planSupervision(probe({ sudo: true }), 'kitchen')).toEqual({ kind: 'systemd', unit: 'wactorz-edge-kitchen.service', sudo: true, runAs: 'pi', systemdVersion: 252 });
  });

  it('a user who may only try lingering: a user service after enable-linger, else cron', () => {
    const plan = planSupervision(base, 'kitchen');
    expect(plan).toMatchObject({ kind: 'systemd-user', enableLinger: true, fallback: { kind: 'cron' } });
    expect(planSupervision(probe({ crontab: false }), 'kitchen')).toMatchObject({ kind: 'systemd-user', enableLinger: true, fallback: { kind: 'none' } });
  });

  it('no systemd: cron with the reason, or nothing, said plainly', () => {
    const cron = planSupervision(probe({ systemd: false, userManager: false, uid: 0 }), 'kitchen');
    expect(cron).toEqual({ kind: 'cron', why: 'the node does not run systemd' });
    const none = planSupervision(probe({ systemd: false, userManager: false, crontab: false }), 'kitchen');
    expect(none).toEqual({ kind: 'none', why: 'the node does not run systemd, and there is no crontab command' });
    expect(describeSupervision(none, 'pi')).toMatch(/^NOT supervised: .* will not come back after a reboot or a crash; install cron/);
    expect(describeSupervision(cron, 'pi')).toMatch(/@reboot entry in pi's crontab/);
  });

  it('systemd without a way in for the user: cron', () => {
    expect(planSupervision(probe({ userManager: false, loginctl: false }), 'kitchen')).toEqual({ kind: 'cron', why: 'pi may use neither the system\'s systemd (not root, no passwordless sudo) nor a user manager with lingering' });
  });

  it('honours the supervisors a deploy may use', () => {
    const root = probe({ uid: 0, user: 'root' });
    expect(planSupervision(root, 'kitchen', ['cron'])).toEqual({ kind: 'cron', why: 'systemd supervision is turned off for this deploy' });
    expect(planSupervision(root, 'kitchen', [])).toEqual({ kind: 'none', why: 'systemd supervision is turned off for this deploy, and cron is turned off for this deploy' });
  });
});

describe('unit file and start script', () => {
  const command = { node: '/usr/bin/node', dir: '/home/pi/wactorz edge', args: ['--broker', 'mqtt://10.0.0.2:1883', '--name', 'kitchen', '--secret-file', '/home/pi/wactorz edge/secret', '--root', '50%$off"'] };

  it('runs the same command line, restarts on failure with backoff, and carries no secret', () => {
    const unit = unitFile({ kind: 'systemd', unit: 'wactorz-edge-kitchen.service', sudo: true, runAs: 'pi', systemdVersion: 256 }, 'kitchen', command);
    expect(unit).toContain('ExecStart="/usr/bin/node" "--no-node-snapshot" "/home/pi/wactorz edge/edge-runner/src/main.ts" "--broker" "mqtt://10.0.0.2:1883" "--name" "kitchen" "--secret-file" "/home/pi/wactorz edge/secret" "--root" "50%%$$off\\""\n');
    expect(unit).toContain('\nRestart=on-failure\nRestartSec=2s\nRestartSteps=8\nRestartMaxDelaySec=5min\n');
    expect(unit).toContain('\nUser=pi\n');
    expect(unit).toContain('\nWantedBy=multi-user.target\n');
    expect(unit).toContain('\nStartLimitIntervalSec=0\n');
    const user = unitFile({ kind: 'systemd-user', unit: 'wactorz-edge-kitchen.service', enableLinger: false, fallback: { kind: 'none', why: '' }, systemdVersion: 252 }, 'kitchen', command);
    expect(user).toContain('\nRestart=on-failure\nRestartSec=10s\n');
    expect(user).not.toContain('User=');
    expect(user).toContain('\nWantedBy=default.target\n');
  });

  it('start.sh replaces a running runner, and with --if-stopped leaves a live one alone', () => {
    const script = startScript(command);
    expect(script).toContain(`nohup '/usr/bin/node' '--no-node-snapshot' '/home/pi/wactorz edge/edge-runner/src/main.ts'`);
    expect(script).toMatch(/if \[ "\$1" = --if-stopped \]; then exit 0; fi\n {2}kill/);
  });

  it('every removal script is valid sh', () => {
    for (const kind of ['systemd', 'systemd-user', 'cron', 'process'] as const) execFileSync('sh', ['-n', '-c', removalScript('kitchen', '/home/pi/wactorz edge', kind)]);
  });
});

describe('crontab edit (real sh, stand-in crontab)', () => {
  const temp: { cleanup: () => void }[] = [];
  afterEach(() => temp.splice(0).forEach((t) => t.cleanup()));

  function fakeCrontab() {
    const dir = makeTempDir('wactorz-crontab-');
    temp.push(dir);
    const table = join(dir.path, 'table');
    const bin = join(dir.path, 'crontab');
    writeFileSync(bin, `#!/bin/sh\nif [ "$1" = -l ]; then [ -f '${table}' ] || { echo "no crontab for $USER" >&2; exit 1; }; cat '${table}'; else cat > '${table}'; fi\n`);
    chmodSync(bin, 0o755);
    const run = (script: string) => execFileSync('sh', ['-c', script], { env: { ...process.env, PATH: `${dir.path}:/usr/bin:/bin` } });
    return { table, run, read: () => (existsSync(table) ? readFileSync(table, 'utf8') : '') };
  }

  it('adds this node\'s lines to an empty table, replaces them on redeploy, keeps other lines and other nodes', () => {
    const c = fakeCrontab();
    c.run(crontabEdit('kitchen', cronLines('kitchen', "/home/pi/it's here")));
    expect(c.read()).toBe(`@reboot /bin/sh '/home/pi/it'\\''s here/start.sh' # wactorz-edge:kitchen\n* * * * * /bin/sh '/home/pi/it'\\''s here/start.sh' --if-stopped # wactorz-edge:kitchen\n`);
    writeFileSync(c.table, `MAILTO=""\n${c.read()}0 3 * * * backup # wactorz-edge:kitchen-2\n`);
    c.run(crontabEdit('kitchen', cronLines('kitchen', '/srv/edge')));
    expect(c.read()).toBe(`MAILTO=""\n0 3 * * * backup # wactorz-edge:kitchen-2\n@reboot /bin/sh '/srv/edge/start.sh' # wactorz-edge:kitchen\n* * * * * /bin/sh '/srv/edge/start.sh' --if-stopped # wactorz-edge:kitchen\n`);
    c.run(removalScript('kitchen', '/srv/edge', 'cron'));
    expect(c.read()).toBe(`MAILTO=""\n0 3 * * * backup # wactorz-edge:kitchen-2\n`);
  });
});
