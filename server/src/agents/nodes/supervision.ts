// Who brings the edge runner back after a reboot or a crash: the choice is pure data (probe ->
// plan), so every case is tested without a Pi. In order of preference:
// 1. a systemd system service, when the SSH user is root (or may use passwordless sudo: the unit
//    then runs the runner as that user);
// 2. a systemd user service, when that user's manager is reachable and lingering is on (it starts
//    at boot without a login); if lingering is off but loginctl exists, deploy tries
//    `loginctl enable-linger` and falls back to 3 when that is refused;
// 3. an @reboot crontab entry, plus a minute check that restarts a runner that died;
// 4. nothing: the runner is started now and the answer says plainly it will not come back.
// The runner's command line and files are the same whichever supervises it; the secret stays in
// its file (`--secret-file`), never in a unit or a crontab.
import type { NodeProbe } from './node-probe.ts';

export type SupervisorKind = 'systemd' | 'systemd-user' | 'cron';
export const ALL_SUPERVISORS: readonly SupervisorKind[] = ['systemd', 'systemd-user', 'cron'];

/** The fallback when systemd cannot be used: cron, or nothing. */
export type FallbackPlan = { kind: 'cron'; why: string } | { kind: 'none'; why: string };

export type SupervisionPlan =
  | { kind: 'systemd'; unit: string; sudo: boolean; runAs?: string; systemdVersion: number }
  | { kind: 'systemd-user'; unit: string; enableLinger: boolean; fallback: FallbackPlan; systemdVersion: number }
  | FallbackPlan;

/** One unit per node, so two nodes deployed to one machine (a test rig) do not replace each other. */
export const unitName = (node: string) => `wactorz-edge-${node}.service`;
/** The marker ending this node's crontab lines: what a redeploy replaces and an undeploy removes. */
export const cronMarker = (node: string) => `# wactorz-edge:${node}`;

export function planSupervision(p: NodeProbe, node: string, allowed: readonly SupervisorKind[] = ALL_SUPERVISORS): SupervisionPlan {
  const may = (k: SupervisorKind) => allowed.includes(k);
  const unit = unitName(node);
  const systemdVersion = p.systemdVersion;
  if (may('systemd') && p.systemd && p.uid === 0) return { kind: 'systemd', unit, sudo: false, systemdVersion };
  if (may('systemd-user') && p.systemd && p.userManager && p.linger) return { kind: 'systemd-user', unit, enableLinger: false, fallback: fallbackPlan(p, allowed), systemdVersion };
  if (may('systemd') && p.systemd && p.sudo) return { kind: 'systemd', unit, sudo: true, runAs: p.user, systemdVersion };
  const fallback = fallbackPlan(p, allowed);
  if (may('systemd-user') && p.systemd && p.userManager && p.loginctl) return { kind: 'systemd-user', unit, enableLinger: true, fallback, systemdVersion };
  return fallback;
}

function fallbackPlan(p: NodeProbe, allowed: readonly SupervisorKind[]): FallbackPlan {
  const why = !p.systemd
    ? 'the node does not run systemd'
    : !allowed.includes('systemd') && !allowed.includes('systemd-user')
      ? 'systemd supervision is turned off for this deploy'
      : `${p.user} may use neither the system's systemd (not root, no passwordless sudo) nor a user manager with lingering`;
  if (allowed.includes('cron') && p.crontab) return { kind: 'cron', why };
  return { kind: 'none', why: `${why}, and ${allowed.includes('cron') ? 'there is no crontab command' : 'cron is turned off for this deploy'}` };
}

/** What the owner reads in /deploy's answer. */
export function describeSupervision(plan: SupervisionPlan, user: string): string {
  switch (plan.kind) {
    case 'systemd':
      return `supervised by systemd: ${plan.unit}${plan.runAs ? ` (run as ${plan.runAs}, installed with sudo)` : ''} starts at boot and is restarted when it fails (journalctl -u ${plan.unit})`;
    case 'systemd-user':
      return `supervised by systemd as ${user}'s user service ${plan.unit}, with lingering on: it starts at boot without a login and is restarted when it fails (journalctl --user -u ${plan.unit})`;
    case 'cron':
      return `supervised by cron (${plan.why}): an @reboot entry in ${user}'s crontab starts it at boot, and a check every minute restarts it if it died`;
    case 'none':
      return `NOT supervised: ${plan.why}. It runs now but will not come back after a reboot or a crash; install cron (sudo apt-get install cron) or give ${user} systemd access, then run /deploy again`;
  }
}

export interface RunnerCommand {
  /** Absolute path of the node's Node.js binary (a unit and cron both need one). */
  node: string;
  /** Absolute install dir. */
  dir: string;
  /** The runner's arguments after main.ts. */
  args: readonly string[];
}

export const runnerArgv = (c: RunnerCommand) => [c.node, '--no-node-snapshot', `${c.dir}/edge-runner/src/main.ts`, ...c.args];

// systemd.syntax: a double-quoted word takes C escapes; % starts a specifier and $ a variable in ExecStart.
const unitWord = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;

/** The unit file: the runner's own command line, restarted on failure with a growing delay. */
export function unitFile(plan: Extract<SupervisionPlan, { kind: 'systemd' | 'systemd-user' }>, node: string, c: RunnerCommand): string {
  // RestartSteps/RestartMaxDelaySec (systemd 254+) grow the delay from 2 s to 5 min; older systemd
  // (Debian 12 has 252) would ignore them with a warning, so it gets a fixed 10 s instead.
  const backoff = plan.systemdVersion >= 254 ? ['RestartSec=2s', 'RestartSteps=8', 'RestartMaxDelaySec=5min'] : ['RestartSec=10s'];
  return [
    '# Written by Wactorz /deploy; a redeploy replaces it.',
    '[Unit]',
    `Description=Wactorz edge runner (${node})`,
    'Wants=network-online.target',
    'After=network-online.target',
    // Never give up: a Pi that boots before its Wi-Fi or broker keeps trying.
    'StartLimitIntervalSec=0',
    '',
    '[Service]',
    'Type=simple',
    ...(plan.kind === 'systemd' && plan.runAs ? [`User=${plan.runAs}`] : []),
    `WorkingDirectory=${c.dir.replace(/%/g, '%%')}`,
    `ExecStart=${runnerArgv(c).map(unitWord).join(' ')}`,
    'Restart=on-failure',
    ...backoff,
    '',
    '[Install]',
    `WantedBy=${plan.kind === 'systemd' ? 'multi-user.target' : 'default.target'}`,
    '',
  ].join('\n');
}

const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * start.sh: replaces a running runner (its pid file) with a new one in the background. With
 * --if-stopped it only starts one when the recorded one is gone (cron's minute check).
 */
export function startScript(c: RunnerCommand): string {
  const pid = sh(`${c.dir}/edge.pid`);
  return [
    '#!/bin/sh',
    '# Written by Wactorz /deploy: starts the edge runner in the background.',
    `if [ -f ${pid} ] && kill -0 "$(cat ${pid})" 2>/dev/null; then`,
    '  if [ "$1" = --if-stopped ]; then exit 0; fi',
    `  kill "$(cat ${pid})" 2>/dev/null`,
    'fi',
    `cd ${sh(c.dir)} || exit 1`,
    `nohup ${runnerArgv(c).map(sh).join(' ')} < /dev/null > ${sh(`${c.dir}/edge.log`)} 2>&1 &`,
    `echo $! > ${pid}`,
    '',
  ].join('\n');
}

/** This node's crontab lines: start at boot, and restart a runner that died (checked each minute). */
export function cronLines(node: string, dir: string): string[] {
  const start = `/bin/sh ${sh(`${dir}/start.sh`)}`;
  return [`@reboot ${start} ${cronMarker(node)}`, `* * * * * ${start} --if-stopped ${cronMarker(node)}`];
}

/** Replaces this node's crontab lines with `lines` (none: removes them), leaving every other line. */
export function crontabEdit(node: string, lines: readonly string[]): string {
  // The table is read in full before `crontab -` starts: a pipe from `crontab -l` straight into
  // it would race with the replacement on a crontab that truncates before reading stdin.
  const add = lines.length ? ` printf '%s\\n' ${lines.map(sh).join(' ')};` : '';
  return `wactorz_t=$(crontab -l 2>/dev/null | grep -v -e ${sh(` ${cronMarker(node)}$`)}); { if [ -n "$wactorz_t" ]; then printf '%s\\n' "$wactorz_t"; fi;${add} } | crontab -`;
}
