// Carries out a supervision plan (supervision.ts) over an SSH session: installs the unit or the
// crontab lines, and removes whatever supervised this node before, so a change of plan between
// two deploys (a user who got lingering, a Pi that lost cron) never leaves two runners. Every
// command runs under `sh -c`, whatever the user's login shell. Unit files are replaced by rename
// in their own directory, so systemd never reads half a file.
import type { SshSession } from './ssh-session.ts';
import { cronLines, crontabEdit, type FallbackPlan, type SupervisionPlan, unitName } from './supervision.ts';

const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const inSh = (script: string) => `sh -c ${sh(script)}`;

const SYSTEM_DIR = '/etc/systemd/system';
const USER_DIR = '"$HOME/.config/systemd/user"';
// An SSH session without pam_systemd has no XDG_RUNTIME_DIR; systemctl --user needs it.
const USER_ENV = 'export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/run/user/$(id -u)}"';
const SYSTEMD_UP = '[ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1';

export type Supervisor = 'systemd' | 'systemd-user' | 'cron' | 'process';

/** The node's shell: an SshSession, or in tests a local sh. */
export type Shell = Pick<SshSession, 'exec' | 'run'>;

/** Shell that removes this node's supervisor of one kind, if present, and says so on stdout; never fails. */
export function removalScript(node: string, dir: string, kind: Supervisor): string {
  const unit = unitName(node);
  switch (kind) {
    case 'systemd':
      return [
        `if ${SYSTEMD_UP} && [ -f ${SYSTEM_DIR}/${unit} ]; then`,
        '  if [ "$(id -u)" = 0 ]; then S=; elif sudo -n true 2>/dev/null; then S="sudo -n"; else S=no; fi',
        `  if [ "$S" = no ]; then echo "could not remove ${SYSTEM_DIR}/${unit}: not root and no passwordless sudo";`,
        `  else $S systemctl disable --now ${unit} >/dev/null 2>&1; $S rm -f ${SYSTEM_DIR}/${unit}; $S systemctl daemon-reload; echo "removed the systemd service ${unit}"; fi`,
        'fi',
      ].join('\n');
    case 'systemd-user':
      return [
        `if [ -f ${USER_DIR}/${unit} ]; then`,
        `  ${USER_ENV}`,
        `  systemctl --user disable --now ${unit} >/dev/null 2>&1; rm -f ${USER_DIR}/${unit}; systemctl --user daemon-reload >/dev/null 2>&1`,
        `  echo "removed the user service ${unit}"`,
        'fi',
      ].join('\n');
    case 'cron':
      return [
        `if command -v crontab >/dev/null 2>&1 && crontab -l 2>/dev/null | grep -q -e ${sh(` # wactorz-edge:${node}$`)}; then`,
        `  ${crontabEdit(node, [])} && echo "removed the crontab entries"`,
        'fi',
      ].join('\n');
    case 'process': {
      const pid = sh(`${dir}/edge.pid`);
      return `if [ -f ${pid} ]; then kill "$(cat ${pid})" 2>/dev/null && echo "stopped the runner started by start.sh"; rm -f ${pid}; fi`;
    }
  }
}

/** Installs the unit uploaded to <dir>/<unit> and (re)starts it: enable alone would not restart a running one. */
function installUnit(plan: Extract<SupervisionPlan, { kind: 'systemd' | 'systemd-user' }>, dir: string): string {
  const src = sh(`${dir}/${plan.unit}`);
  if (plan.kind === 'systemd') {
    const s = plan.sudo ? 'sudo -n ' : '';
    const tmp = `${SYSTEM_DIR}/.${plan.unit}.tmp`;
    return [
      `${s}install -m 644 ${src} ${tmp}`,
      `${s}mv -f ${tmp} ${SYSTEM_DIR}/${plan.unit}`,
      `${s}systemctl daemon-reload`,
      `${s}systemctl enable ${plan.unit}`,
      `${s}systemctl restart ${plan.unit}`,
    ].join(' && ');
  }
  const tmp = `${USER_DIR}/.${plan.unit}.tmp`;
  return [
    USER_ENV,
    `mkdir -p ${USER_DIR}`,
    `cp ${src} ${tmp}`,
    `mv -f ${tmp} ${USER_DIR}/${plan.unit}`,
    'systemctl --user daemon-reload',
    `systemctl --user enable ${plan.unit}`,
    `systemctl --user restart ${plan.unit}`,
  ].join(' && ');
}

async function removeOthers(session: Shell, node: string, dir: string, kinds: readonly Supervisor[]): Promise<void> {
  await session.exec(inSh(kinds.map((k) => removalScript(node, dir, k)).join('\n')));
}

/**
 * Puts the runner under `plan` (start.sh and, for systemd, <dir>/<unit> are already uploaded).
 * Returns the plan in force: a systemd user plan whose lingering is refused becomes its fallback.
 */
export async function superviseRunner(session: Shell, plan: SupervisionPlan, node: string, dir: string): Promise<SupervisionPlan> {
  switch (plan.kind) {
    case 'systemd':
      await removeOthers(session, node, dir, ['process', 'cron', 'systemd-user']);
      await session.run(inSh(installUnit(plan, dir)), `installing the systemd service ${plan.unit}`);
      return plan;
    case 'systemd-user': {
      if (plan.enableLinger) {
        const r = await session.exec(inSh('loginctl enable-linger "$(id -un)" && [ "$(loginctl show-user "$(id -un)" -p Linger --value)" = yes ]'));
        if (r.code !== 0) {
          const why = `lingering could not be enabled for the user (${(r.stderr.trim() || 'loginctl enable-linger failed').split('\n')[0]}; an admin can run sudo loginctl enable-linger <user> and deploy again)`;
          return superviseRunner(session, withWhy(plan.fallback, why), node, dir);
        }
      }
      await removeOthers(session, node, dir, ['process', 'cron', 'systemd']);
      await session.run(inSh(installUnit(plan, dir)), `installing the systemd user service ${plan.unit}`);
      return { ...plan, enableLinger: false };
    }
    case 'cron':
      await removeOthers(session, node, dir, ['systemd', 'systemd-user']);
      await session.run(inSh(`/bin/sh ${sh(`${dir}/start.sh`)}`), 'starting the edge runner');
      await session.run(inSh(crontabEdit(node, cronLines(node, dir))), 'adding the crontab entries');
      return plan;
    case 'none':
      await removeOthers(session, node, dir, ['systemd', 'systemd-user', 'cron']);
      await session.run(inSh(`/bin/sh ${sh(`${dir}/start.sh`)}`), 'starting the edge runner');
      return plan;
  }
}

function withWhy(p: FallbackPlan, why: string): FallbackPlan {
  return { ...p, why: p.kind === 'cron' ? why : `${why}; no cron to fall back on either (${p.why})` };
}

/** Stops the runner and removes every supervisor of this node; returns what was found, for the user. */
export async function unsuperviseRunner(session: Shell, node: string, dir: string): Promise<string[]> {
  const r = await session.exec(inSh((['systemd', 'systemd-user', 'cron', 'process'] as const).map((k) => removalScript(node, dir, k)).join('\n')));
  return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
}
