// The HA process: `python -m homeassistant` chrooted into the Debian root, detached from whoever
// started it (it outlives `npm run ha:real`), its pid in .real-ha/ha.pid. Only the process whose
// command line names this checkout's config directory is ever signalled.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { RealHaPaths } from './paths.ts';
import { chrootEnv } from './run.ts';
import { requireTool } from './tools.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The running HA's pid, or undefined (a stale pid file is removed). */
export function runningPid(paths: RealHaPaths): number | undefined {
  if (!existsSync(paths.pidFile)) return undefined;
  const pid = Number(readFileSync(paths.pidFile, 'utf8').trim());
  if (Number.isInteger(pid) && pid > 0 && isOurs(pid, paths)) return pid;
  rmSync(paths.pidFile, { force: true });
  return undefined;
}

function isOurs(pid: number, paths: RealHaPaths): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // A zombie has exited: it answers nothing and must not count as running.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z') return false;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    // Empty for the instant the process is between `chroot` and the Python it execs (the kernel
    // is swapping its memory): the pid is still the one we started, not a stranger's. Read as
    // "gone", that instant used to fail a restart on a loaded machine and drop the pid file.
    return cmdline === '' || cmdline.includes(paths.configInRoot);
  } catch {
    return false;
  }
}

export function startProcess(paths: RealHaPaths): number {
  const chroot = requireTool('chroot');
  const log = openSync(paths.logFile, 'a');
  try {
    const child = spawn(chroot, [paths.root, `${paths.venvInRoot}/bin/python`, '-m', 'homeassistant', '--config', paths.configInRoot, '--skip-pip'], {
      env: chrootEnv(),
      detached: true,
      stdio: ['ignore', log, log],
    });
    if (child.pid === undefined) throw new Error('Home Assistant did not start (no pid)');
    child.unref();
    writeFileSync(paths.pidFile, String(child.pid));
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/** SIGTERM (HA closes its database cleanly), SIGKILL after `graceMs`. */
export async function stopProcess(paths: RealHaPaths, graceMs = 30_000): Promise<boolean> {
  const pid = runningPid(paths);
  if (pid === undefined) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isOurs(pid, paths)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      await sleep(200);
      break;
    }
    await sleep(100);
  }
  rmSync(paths.pidFile, { force: true });
  return true;
}

/** Polls until `check` resolves truthy; fails with the log's tail if HA exits or time runs out. */
export async function waitFor<T>(paths: RealHaPaths, what: string, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (runningPid(paths) === undefined) throw new Error(`Home Assistant exited while waiting for ${what}; log tail:\n${logTail(paths)}`);
    if (Date.now() > deadline) throw new Error(`Home Assistant did not reach "${what}" within ${timeoutMs / 1000} s; log tail:\n${logTail(paths)}`);
    await sleep(250);
  }
}

export function logTail(paths: RealHaPaths, lines = 30): string {
  try {
    return readFileSync(paths.logFile, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
