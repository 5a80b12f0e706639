// The Debian root HA's Python comes from: `debootstrap --variant=minbase` of DEBIAN_SUITE from the
// Debian mirror this machine already uses, built once per pin. A half-built root (an interrupted
// run) is never taken for a finished one: the build goes to a side directory and a marker file is
// written last.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEBIAN_PACKAGES, DEBIAN_SUITE } from './pin.ts';
import type { RealHaPaths } from './paths.ts';
import { run } from './run.ts';
import { requireTool } from './tools.ts';

const FALLBACK_MIRROR = 'http://deb.debian.org/debian';

/** The main Debian archive named in apt's sources (deb822 or one-line), not the security one. */
export function debianMirror(sources: readonly string[]): string {
  for (const text of sources) {
    for (const line of text.split('\n')) {
      const deb822 = /^URIs:\s*(\S+)/i.exec(line.trim());
      const oneLine = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+\S+/.exec(line.trim());
      const uri = deb822?.[1] ?? oneLine?.[1];
      if (uri && /\/debian\/?$/.test(uri) && !uri.includes('security')) return uri.replace(/\/$/, '');
    }
  }
  return FALLBACK_MIRROR;
}

function aptSources(): string[] {
  const texts: string[] = [];
  const dir = '/etc/apt/sources.list.d';
  if (existsSync(dir)) for (const f of readdirSync(dir).filter((n) => n.endsWith('.sources') || n.endsWith('.list')).sort()) texts.push(readFileSync(join(dir, f), 'utf8'));
  if (existsSync('/etc/apt/sources.list')) texts.push(readFileSync('/etc/apt/sources.list', 'utf8'));
  return texts;
}

/** The CA bundle this machine trusts, so pip inside the root reaches PyPI the way the host does. */
function hostCaBundle(): string {
  for (const candidate of [process.env.PIP_CERT, process.env.SSL_CERT_FILE, '/etc/ssl/certs/ca-certificates.crt']) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  throw new Error('No CA bundle found on this machine (PIP_CERT, SSL_CERT_FILE, /etc/ssl/certs/ca-certificates.crt): pip inside the Debian root could not verify PyPI.');
}

/** Path of the host's CA bundle as seen inside the root. */
export const CA_IN_ROOT = '/etc/ssl/certs/host-ca-bundle.crt';

export async function ensureRoot(paths: RealHaPaths, log: (line: string) => void): Promise<void> {
  const marker = join(paths.cacheDir, 'root.done');
  const wanted = JSON.stringify({ suite: DEBIAN_SUITE, packages: DEBIAN_PACKAGES });
  if (!(existsSync(marker) && readFileSync(marker, 'utf8') === wanted && existsSync(paths.root))) {
    const debootstrap = requireTool('debootstrap');
    mkdirSync(paths.cacheDir, { recursive: true });
    const partial = `${paths.root}.partial`;
    rmSync(partial, { recursive: true, force: true });
    rmSync(marker, { force: true });
    const mirror = debianMirror(aptSources());
    log(`building a Debian ${DEBIAN_SUITE} root from ${mirror} (about a minute)`);
    await run(debootstrap, ['--variant=minbase', `--include=${DEBIAN_PACKAGES.join(',')}`, DEBIAN_SUITE, partial, mirror], { logFile: paths.provisionLog });
    rmSync(paths.root, { recursive: true, force: true });
    renameSync(partial, paths.root);
    writeFileSync(marker, wanted);
  }
  // Refreshed on every run: the host's trust store may have changed since the root was built.
  copyFileSync(hostCaBundle(), join(paths.root, CA_IN_ROOT));
}
