// The dashboard cards ship as a built file inside the companion integration (HACS and the add-on's
// install copy that folder from git, neither builds anything), so the committed file must be what
// cards/src builds to today: a fresh build into a temp dir is compared byte for byte.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../helpers/tmp.ts';

const CONFIG = fileURLToPath(new URL('../../../cards/vite.config.ts', import.meta.url));
const SHIPPED = fileURLToPath(new URL('../../../addon/integration/custom_components/wactorz/frontend/', import.meta.url));

describe('the dashboard cards bundle', () => {
  it('the committed wactorz-cards.js is a fresh build of cards/src (rebuild: npm run build:cards)', { timeout: 60_000 }, async () => {
    const dir = makeTempDir('wactorz-cards-build-');
    try {
      await build({ configFile: CONFIG, logLevel: 'silent', build: { outDir: dir.path, emptyOutDir: true } });
      expect(readdirSync(dir.path)).toEqual(['wactorz-cards.js']);
      expect(readdirSync(SHIPPED)).toEqual(['wactorz-cards.js']);
      const fresh = readFileSync(join(dir.path, 'wactorz-cards.js'), 'utf8');
      const shipped = readFileSync(join(SHIPPED, 'wactorz-cards.js'), 'utf8');
      // Equal strings, but a short message: the bundle is one long line.
      expect(fresh === shipped, `the committed bundle (${shipped.length} chars) differs from a fresh build (${fresh.length} chars)`).toBe(true);
      // Small enough to load on every dashboard page: Lit and both cards.
      expect(shipped.length).toBeLessThan(40_000);
    } finally {
      dir.cleanup();
    }
  });
});
