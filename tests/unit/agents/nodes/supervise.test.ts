// superviseRunner's shell, run by a real sh on this machine with stand-ins for systemctl,
// loginctl and crontab on the PATH (each logs its arguments; crontab keeps its table in a file)
// and HOME in a temp dir: the paths a systemd host takes that the test sshd cannot show (it runs
// no systemd). Proven: the user unit is renamed into ~/.config/systemd/user and daemon-reload,
// enable, restart run in that order; the runner start.sh started and this node's crontab lines are
// removed when systemd takes over; a refused enable-linger falls back to cron with the reason and
// removes the user unit; unsuperviseRunner removes everything and says what.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { superviseRunner, unsuperviseRunner, type Shell } from '../../../../server/src/agents/nodes/supervise.ts';
import { cronLines, crontabEdit, startScript, unitFile, type SupervisionPlan } from '../../../../server/src/agents/nodes/supervision.ts';
import { makeTempDir } from '../../../helpers/tmp.ts';
import { eventually } from '../../../helpers/eventually.ts';
import { isAlive } from '../../../helpers/pid.ts';

const UNIT = 'wactorz-edge-kitchen.service';

describe('superviseRunner on a systemd host (local sh, stand-in systemctl/loginctl/crontab)', () => {
  let tmp: { path: string; cleanup: () => void };
  let home: string;
  let dir: string;
  let bin: string;
  let shell: Shell;
  const pids: number[] = [];

  const tool = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  const log = (name: string) => (existsSync(join(tmp.path, `${name}.log`)) ? readFileSync(join(tmp.path, `${name}.log`), 'utf8').trim().split('\n') : []);
  const table = () => (existsSync(join(tmp.path, 'crontab')) ? readFileSync(join(tmp.path, 'crontab'), 'utf8') : '');
  const command = () => ({ node: join(bin, 'node'), dir, args: ['--name', 'kitchen'] });
  const userPlan = (enableLinger: boolean): Extract<SupervisionPlan, { kind: 'systemd-user' }> => ({ kind: 'systemd-user', unit: UNIT, enableLinger, fallback: { kind: 'cron', why: 'unused' }, systemdVersion: 256 });
  /** A runner started the old way (start.sh's pid file), as an earlier deploy left it. */
  const oldRunner = () => {
    const p = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
    p.unref();
    pids.push(p.pid!);
    writeFileSync(join(dir, 'edge.pid'), `${p.pid}\n`);
    return p.pid!;
  };

  beforeEach(() => {
    tmp = makeTempDir('wactorz-supervise-');
    home = join(tmp.path, 'home');
    dir = join(home, 'wactorz-edge');
    bin = join(tmp.path, 'bin');
    mkdirSync(dir, { recursive: true });
    mkdirSync(bin);
    const logTo = (name: string) => `echo "$*" >> '${tmp.path}/${name}.log'`;
    tool('systemctl', logTo('systemctl'));
    tool('crontab', `if [ "$1" = -l ]; then [ -f '${tmp.path}/crontab' ] || exit 1; cat '${tmp.path}/crontab'; else cat > '${tmp.path}/crontab'; fi`);
    tool('node', 'exec sleep 300');
    shell = {
      exec: (cmd: string) => {
        const r = spawnSync('/bin/sh', ['-c', cmd], { env: { PATH: `${bin}:/usr/bin:/bin`, HOME: home }, encoding: 'utf8' });
        return Promise.resolve({ code: r.status ?? 255, stdout: r.stdout, stderr: r.stderr });
      },
      run: async (cmd: string, what: string) => {
        const r = await shell.exec(cmd);
        if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}): ${r.stderr}`);
        return r.stdout;
      },
    };
    writeFileSync(join(dir, 'start.sh'), startScript(command()));
    writeFileSync(join(dir, UNIT), unitFile(userPlan(false), 'kitchen', command()));
  });
  afterEach(() => {
    const pidFile = join(dir, 'edge.pid');
    if (existsSync(pidFile)) pids.push(Number(readFileSync(pidFile, 'utf8')));
    for (const pid of pids.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    tmp.cleanup();
  });

  it('a user service: enables lingering, renames the unit into place, reloads, enables, restarts; the old runner and crontab lines go', async () => {
    tool('loginctl', `echo "$*" >> '${tmp.path}/loginctl.log'; if [ "$1" = show-user ]; then echo yes; fi`);
    writeFileSync(join(tmp.path, 'crontab'), `MAILTO=""\n${cronLines('kitchen', dir).join('\n')}\n`);
    const old = oldRunner();

    const done = await superviseRunner(shell, userPlan(true), 'kitchen', dir);
    expect(done).toMatchObject({ kind: 'systemd-user', enableLinger: false });
    expect(log('loginctl')[0]).toMatch(/^enable-linger /);
    const unitDir = join(home, '.config/systemd/user');
    expect(readdirSync(unitDir)).toEqual([UNIT]); // renamed into place, no temp file left
    expect(readFileSync(join(unitDir, UNIT), 'utf8')).toBe(readFileSync(join(dir, UNIT), 'utf8'));
    expect(log('systemctl')).toEqual(['--user daemon-reload', `--user enable ${UNIT}`, `--user restart ${UNIT}`]);
    expect(table()).toBe('MAILTO=""\n');
    await eventually(() => !isAlive(old), 'the runner started by start.sh to stop');
  });

  it('lingering refused: falls back to cron with the reason, removes the user unit, starts the runner and adds the crontab lines', async () => {
    tool('loginctl', `echo "Could not enable linger: Access denied" >&2; exit 1`);
    const unitDir = join(home, '.config/systemd/user');
    mkdirSync(unitDir, { recursive: true });
    writeFileSync(join(unitDir, UNIT), 'from an earlier deploy');

    const done = await superviseRunner(shell, userPlan(true), 'kitchen', dir);
    expect(done).toEqual({ kind: 'cron', why: 'lingering could not be enabled for the user (Could not enable linger: Access denied; an admin can run sudo loginctl enable-linger <user> and deploy again)' });
    expect(existsSync(join(unitDir, UNIT))).toBe(false);
    expect(log('systemctl')).toEqual([`--user disable --now ${UNIT}`, '--user daemon-reload']);
    expect(table()).toBe(`${cronLines('kitchen', dir).join('\n')}\n`);
    const pid = Number(readFileSync(join(dir, 'edge.pid'), 'utf8'));
    expect(isAlive(pid)).toBe(true);
  });

  it('unsuperviseRunner removes the user unit, the crontab lines and the runner, and says so', async () => {
    const unitDir = join(home, '.config/systemd/user');
    mkdirSync(unitDir, { recursive: true });
    writeFileSync(join(unitDir, UNIT), 'unit');
    await shell.run(crontabEdit('kitchen', cronLines('kitchen', dir)), 'crontab');
    const old = oldRunner();

    expect(await unsuperviseRunner(shell, 'kitchen', dir)).toEqual([`removed the user service ${UNIT}`, 'removed the crontab entries', 'stopped the runner started by start.sh']);
    expect(existsSync(join(unitDir, UNIT))).toBe(false);
    expect(table()).toBe('');
    await eventually(() => !isAlive(old), 'the runner to stop');
    expect(await unsuperviseRunner(shell, 'kitchen', dir)).toEqual([]);
  });
});
