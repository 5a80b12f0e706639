// Where the real Home Assistant lives. The Debian root and the venv are a cache shared by every
// checkout on the machine (keyed by the pin: minutes to build, nothing checkout-specific in them);
// each checkout gets its own HA config directory inside that root (HA runs chrooted, so its
// files must be under the root) and its own `.real-ha/` with the connection file and the log.
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { HA_VERSION } from './pin.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

export interface RealHaPaths {
  /** The cache for this pin: the Debian root and markers. */
  cacheDir: string;
  /** The Debian root (chroot target). */
  root: string;
  /** The venv, as seen inside the root. */
  venvInRoot: string;
  /** The HA config directory, as seen inside the root. */
  configInRoot: string;
  /** The same directory from the host. */
  configOnHost: string;
  /** `.real-ha/` of this checkout (git-ignored). */
  stateDir: string;
  connectionFile: string;
  instanceFile: string;
  pidFile: string;
  /** HA's own output (stdout/stderr of the process). */
  logFile: string;
  /** What debootstrap and pip printed. */
  provisionLog: string;
  lockDir: string;
}

export function realHaPaths(repoRoot: string = REPO_ROOT): RealHaPaths {
  const cacheBase = process.env.WACTORZ_REAL_HA_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'wactorz-real-ha');
  const cacheDir = join(cacheBase, HA_VERSION);
  const root = join(cacheDir, 'root');
  // Two checkouts (a developer's tree and CI's clone) must not share one HA config.
  const instance = createHash('sha256').update(repoRoot).digest('hex').slice(0, 12);
  const configInRoot = `/srv/wactorz/${instance}/config`;
  const stateDir = join(repoRoot, '.real-ha');
  return {
    cacheDir,
    root,
    venvInRoot: '/opt/homeassistant',
    configInRoot,
    configOnHost: join(root, configInRoot),
    stateDir,
    connectionFile: join(stateDir, 'connection.json'),
    instanceFile: join(stateDir, 'instance.json'),
    pidFile: join(stateDir, 'ha.pid'),
    logFile: join(stateDir, 'home-assistant.log'),
    provisionLog: join(stateDir, 'provision.log'),
    lockDir: join(stateDir, 'lock'),
  };
}
