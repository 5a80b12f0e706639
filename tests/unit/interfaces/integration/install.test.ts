import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUNDLED_INTEGRATION, installIntegration, restartNotice } from '../../../../server/src/interfaces/integration/install.ts';
import { makeTempDir } from '../../../helpers/tmp.ts';

const dirs: ReturnType<typeof makeTempDir>[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

function fixture(version: string): { source: string; haConfig: string } {
  const dir = makeTempDir();
  dirs.push(dir);
  const source = join(dir.path, 'src', 'wactorz');
  mkdirSync(join(source, 'translations'), { recursive: true });
  writeFileSync(join(source, 'manifest.json'), JSON.stringify({ domain: 'wactorz', version }));
  writeFileSync(join(source, '__init__.py'), '"""Wactorz."""\n');
  writeFileSync(join(source, 'translations', 'en.json'), '{}');
  const haConfig = join(dir.path, 'config');
  mkdirSync(haConfig);
  return { source, haConfig };
}

describe("installing the companion integration into HA's config folder", () => {
  it('installs, then does nothing while the version matches, then updates to a new version', () => {
    const { source, haConfig } = fixture('0.1.0');
    expect(installIntegration(haConfig, source)).toEqual({ status: 'installed', version: '0.1.0', previous: null });
    const target = join(haConfig, 'custom_components', 'wactorz');
    expect(readdirSync(target).sort()).toEqual(['__init__.py', 'manifest.json', 'translations']);
    expect(installIntegration(haConfig, source)).toEqual({ status: 'current', version: '0.1.0' });

    writeFileSync(join(target, 'stale.py'), '# from the old version\n');
    writeFileSync(join(source, 'manifest.json'), JSON.stringify({ domain: 'wactorz', version: '0.2.0' }));
    expect(installIntegration(haConfig, source)).toEqual({ status: 'updated', version: '0.2.0', previous: '0.1.0' });
    expect(existsSync(join(target, 'stale.py'))).toBe(false);
    expect(JSON.parse(readFileSync(join(target, 'manifest.json'), 'utf8'))).toMatchObject({ version: '0.2.0' });
    expect(readdirSync(join(haConfig, 'custom_components'))).toEqual(['wactorz']);
  });

  it('says why when HA’s folder is not mapped or the bundle is missing', () => {
    const { source, haConfig } = fixture('0.1.0');
    expect(installIntegration(join(haConfig, 'absent'), source)).toMatchObject({ status: 'unavailable', reason: expect.stringContaining('not mapped') as unknown });
    expect(installIntegration(haConfig, join(source, 'nope'))).toMatchObject({ status: 'unavailable', reason: expect.stringContaining('missing') as unknown });
  });

  it('tells the owner once to restart, replacing its own earlier notice', () => {
    const notice = restartNotice({ status: 'updated', version: '0.2.0', previous: '0.1.0' });
    expect(notice.notification_id).toBe('wactorz_integration_installed');
    expect(notice.message).toContain('updated from 0.1.0 to 0.2.0');
    expect(notice.message).toContain('Restart Home Assistant');
  });

  it('ships the integration beside the server, at the add-on’s version', () => {
    const manifest = JSON.parse(readFileSync(join(BUNDLED_INTEGRATION, 'manifest.json'), 'utf8')) as { domain: string; version: string };
    const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(manifest).toMatchObject({ domain: 'wactorz', version: pkg.version });
  });
});
