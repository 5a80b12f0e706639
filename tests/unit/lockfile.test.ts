// A fresh `npm install` must leave the committed package-lock.json as it is (issue 17, item 7):
// npm records `hasInstallScript` for every package with an install step, so a lock missing one is
// rewritten on the first install of a fresh clone.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean }> };

/** What npm (arborist) counts as an install step: a lifecycle script, or a binding.gyp it builds. */
function hasInstallStep(dir: string): boolean {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const scripts = manifest.scripts ?? {};
  return ['preinstall', 'install', 'postinstall'].some((s) => s in scripts) || existsSync(join(dir, 'binding.gyp'));
}

describe('package-lock.json', () => {
  it('marks every installed package that has an install step, as npm install would', () => {
    const missing = Object.entries(lock.packages)
      .filter(([path]) => path.startsWith('node_modules/') && existsSync(join(root, path, 'package.json')))
      .filter(([path, entry]) => hasInstallStep(join(root, path)) !== (entry.hasInstallScript === true))
      .map(([path]) => path);
    expect(missing).toEqual([]);
  });
});
