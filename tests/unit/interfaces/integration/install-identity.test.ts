import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IDENTITY_FILE, loadInstallIdentity } from '../../../../server/src/interfaces/integration/install-identity.ts';
import { makeTempDir } from '../../../helpers/tmp.ts';

const dirs: ReturnType<typeof makeTempDir>[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

describe("the companion integration's install identity", () => {
  it('is created once, owner-only, and the same on every later start', () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const first = loadInstallIdentity(dir.path);
    expect(first.instance_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.token.length).toBeGreaterThanOrEqual(43);
    expect(statSync(join(dir.path, IDENTITY_FILE)).mode & 0o777).toBe(0o600);
    expect(loadInstallIdentity(dir.path)).toEqual(first);
    expect(JSON.parse(readFileSync(join(dir.path, IDENTITY_FILE), 'utf8'))).toEqual(first);
  });

  it('is replaced when the file is damaged (the integration then asks to re-authenticate)', () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const first = loadInstallIdentity(dir.path);
    writeFileSync(join(dir.path, IDENTITY_FILE), '{"instance_id": 3');
    const second = loadInstallIdentity(dir.path);
    expect(second.token).not.toBe(first.token);
    expect(loadInstallIdentity(dir.path)).toEqual(second);
  });
});
