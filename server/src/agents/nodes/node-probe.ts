// What /deploy learns about a node before it sends anything: one POSIX sh script run over SSH that
// prints key=value lines (who logs in, which Node.js the PATH of a non-interactive shell finds,
// whether the install dir can be created, and which service managers that user may use). Parsing
// and the requirement check are pure, so every refusal message is tested without a node.
import { posix } from 'node:path';

export const MIN_NODE_MAJOR = 24;

export interface NodeProbe {
  user: string;
  uid: number;
  home: string;
  /** PATH of the non-interactive SSH shell (what cron and a unit do NOT share; shown when node is missing). */
  path: string;
  /** The absolute path `command -v <nodeBin>` found, or '' when none. */
  nodePath: string;
  /** What `node --version` printed (v24.1.0), or ''. */
  nodeVersion: string;
  npm: boolean;
  /** The install dir made absolute against HOME. */
  installDir: string;
  /** The nearest existing ancestor of installDir (itself when it exists), and whether the user may write there. */
  writableBase: string;
  writable: boolean;
  /** systemd is PID 1 (/run/systemd/system exists, as sd_booted checks) and systemctl is on the PATH. */
  systemd: boolean;
  /** systemd's version number (252 on Debian 12), 0 when unknown. */
  systemdVersion: number;
  /** `systemctl --user` reaches this user's manager. */
  userManager: boolean;
  /** loginctl says lingering is on for the user (the user manager runs at boot, without a login). */
  linger: boolean;
  loginctl: boolean;
  /** `sudo -n true` succeeded (passwordless sudo, as Raspberry Pi OS gives its first user). */
  sudo: boolean;
  crontab: boolean;
}

// $1 = install dir (relative to HOME unless absolute), $2 = the Node.js binary to look for.
// Run as `sh -c SCRIPT probe DIR NODE` so a login shell other than sh (fish, zsh) cannot change it.
export const PROBE_SCRIPT = `
echo "user=$(id -un)"; echo "uid=$(id -u)"; echo "home=$HOME"; echo "path=$PATH"
p=$(command -v "$2" 2>/dev/null); case "$p" in /*) ;; *) p="";; esac
echo "node_path=$p"
if [ -n "$p" ]; then echo "node_version=$("$p" --version 2>/dev/null | head -n 1)"; fi
if [ -n "$p" ] && { [ -x "$(dirname "$p")/npm" ] || command -v npm >/dev/null 2>&1; }; then echo npm=yes; fi
case "$1" in /*) d="$1";; *) d="$HOME/$1";; esac
echo "install_dir=$d"
w="$d"; while [ ! -e "$w" ] && [ "$w" != / ]; do w=$(dirname "$w"); done
echo "writable_base=$w"
if [ -d "$w" ] && [ -w "$w" ]; then echo writable=yes; fi
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  echo systemd=yes
  echo "systemd_version=$(systemctl --version 2>/dev/null | head -n 1 | cut -d ' ' -f 2)"
  export XDG_RUNTIME_DIR="\${XDG_RUNTIME_DIR:-/run/user/$(id -u)}"
  if [ "$(id -u)" != 0 ] && systemctl --user show-environment >/dev/null 2>&1; then echo user_manager=yes; fi
fi
if command -v loginctl >/dev/null 2>&1; then
  echo loginctl=yes
  echo "linger=$(loginctl show-user "$(id -un)" -p Linger --value 2>/dev/null)"
fi
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then echo sudo=yes; fi
if command -v crontab >/dev/null 2>&1; then echo crontab=yes; fi
`;

export function parseProbe(text: string): NodeProbe {
  const kv = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) kv.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  const s = (k: string) => kv.get(k) ?? '';
  const yes = (k: string) => kv.get(k) === 'yes';
  return {
    user: s('user'),
    uid: Number(s('uid') || -1),
    home: s('home'),
    path: s('path'),
    nodePath: s('node_path'),
    nodeVersion: s('node_version'),
    npm: yes('npm'),
    installDir: posix.normalize(s('install_dir')).replace(/(.)\/+$/, '$1'),
    writableBase: s('writable_base'),
    writable: yes('writable'),
    systemd: yes('systemd'),
    systemdVersion: Number(s('systemd_version')) || 0,
    userManager: yes('user_manager'),
    linger: yes('linger'),
    loginctl: yes('loginctl'),
    sudo: yes('sudo'),
    crontab: yes('crontab'),
  };
}

const INSTALL_NODE =
  `install Node.js ${MIN_NODE_MAJOR} system-wide on it, e.g. on Raspberry Pi OS or Debian: ` +
  `curl -fsSL https://deb.nodesource.com/setup_${MIN_NODE_MAJOR}.x | sudo -E bash - && sudo apt-get install -y nodejs ` +
  `(a Node.js from nvm is found only by interactive shells, so neither /deploy nor the service would see it); then run /deploy again`;

/** Why the node cannot take the runner, in words the owner can act on; undefined when it can. */
export function requirementProblem(p: NodeProbe, at: { host: string; nodeBin: string; needNpm: boolean }): string | undefined {
  if (!p.user || !p.home) return `could not inspect ${at.host}: the probe printed nothing usable (is the login shell of the SSH user a normal shell?)`;
  if (!p.nodePath) return `no Node.js on ${at.host}: \`${at.nodeBin}\` is not on the PATH of ${p.user} in a non-interactive SSH shell (PATH=${p.path}); the edge runner needs Node.js ${MIN_NODE_MAJOR} or newer: ${INSTALL_NODE}`;
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(p.nodeVersion);
  if (!m) return `${p.nodePath} on ${at.host} did not answer \`--version\` like Node.js (printed "${p.nodeVersion}"); the edge runner needs Node.js ${MIN_NODE_MAJOR} or newer: ${INSTALL_NODE}`;
  if (Number(m[1]) < MIN_NODE_MAJOR) return `node ${p.nodeVersion.replace(/^v/, '')} found at ${p.nodePath} on ${at.host}; the edge runner needs Node.js ${MIN_NODE_MAJOR} or newer (it runs TypeScript by type stripping): ${INSTALL_NODE}`;
  if (at.needNpm && !p.npm) return `Node.js ${p.nodeVersion} is at ${p.nodePath} on ${at.host} but npm is not (it installs the runner's packages): install the nodejs package that comes with npm, then run /deploy again`;
  if (!p.writable) return `${p.user} cannot create the install directory ${p.installDir} on ${at.host}: ${p.writableBase} is not a directory ${p.user} may write to (choose another directory, or give ${p.user} write access there)`;
  return undefined;
}
