// The add-on installs the companion integration into Home Assistant's configuration folder (the
// manifest maps it at /homeassistant) so the owner needs neither HACS nor a file editor: the
// integration shipped with this add-on version is copied to custom_components/wactorz when the
// installed one has another version (or none), atomically (a half-copied integration would break
// HA's start), and the owner is told once, by a persistent notification, that HA must restart.
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The integration as shipped beside the server (the image copies it to the same place). */
export const BUNDLED_INTEGRATION = fileURLToPath(new URL('../../../../addon/integration/custom_components/wactorz', import.meta.url));
/** Where the add-on sees Home Assistant's configuration (config.yaml `map: homeassistant_config`). */
export const HA_CONFIG_IN_ADDON = '/homeassistant';

export type InstallOutcome = { status: 'installed' | 'updated'; version: string; previous: string | null } | { status: 'current'; version: string } | { status: 'unavailable'; reason: string };

function versionOf(dir: string): string | null {
  try {
    const v = (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { version?: unknown }).version;
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}

export function installIntegration(haConfigDir: string, source: string = BUNDLED_INTEGRATION): InstallOutcome {
  const version = versionOf(source);
  if (version === null) return { status: 'unavailable', reason: `the bundled integration is missing (${source})` };
  if (!existsSync(haConfigDir)) return { status: 'unavailable', reason: `Home Assistant's configuration folder is not mapped (${haConfigDir})` };
  const parent = join(haConfigDir, 'custom_components');
  const target = join(parent, 'wactorz');
  const existed = existsSync(target);
  const previous = existed ? versionOf(target) : null;
  if (previous === version) return { status: 'current', version };
  mkdirSync(parent, { recursive: true });
  const staging = join(parent, '.wactorz-installing');
  const old = join(parent, '.wactorz-previous');
  rmSync(staging, { recursive: true, force: true });
  rmSync(old, { recursive: true, force: true });
  cpSync(source, staging, { recursive: true, filter: (src) => !src.includes('__pycache__') });
  if (existsSync(target)) renameSync(target, old);
  renameSync(staging, target);
  rmSync(old, { recursive: true, force: true });
  return { status: existed ? 'updated' : 'installed', version, previous };
}

/** The one-time notice (same id each time, so a repeated start replaces rather than piles up). */
export function restartNotice(outcome: Extract<InstallOutcome, { status: 'installed' | 'updated' }>): { notification_id: string; title: string; message: string } {
  const what = outcome.status === 'installed' ? `The Wactorz integration ${outcome.version} was installed` : `The Wactorz integration was updated from ${outcome.previous ?? 'an unknown version'} to ${outcome.version}`;
  return {
    notification_id: 'wactorz_integration_installed',
    title: 'Wactorz: restart Home Assistant',
    message: `${what}. Restart Home Assistant (Settings → System → Restart) to load it; then confirm "Wactorz discovered" under Settings → Devices & services.`,
  };
}
