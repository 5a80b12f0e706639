import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../server/src/config/load.ts';
import type { HaClient } from '../../../../server/src/ha/client.ts';
import { afterListen } from '../../../../server/src/interfaces/integration/start.ts';
import { quietLogger } from '../../../helpers/ha.ts';
import { makeTempDir } from '../../../helpers/tmp.ts';

const dirs: ReturnType<typeof makeTempDir>[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

function supervisor(): { fetchImpl: typeof fetch; posts: { url: string; auth: string | null; body: unknown }[] } {
  const posts: { url: string; auth: string | null; body: unknown }[] = [];
  const fetchImpl = (async (url: string | URL, init?: RequestInit) => {
    posts.push({ url: String(url), auth: new Headers(init?.headers).get('authorization'), body: JSON.parse(typeof init?.body === 'string' ? init.body : '') });
    return new Response(JSON.stringify({ result: 'ok', data: { uuid: 'u-1' } }), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { fetchImpl, posts };
}

describe('the add-on side after the server listens', () => {
  it('announces {host, port, token} to the Supervisor, installs the integration and asks for one HA restart', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const haConfig = join(dir.path, 'homeassistant');
    mkdirSync(haConfig);
    const options = join(dir.path, 'options.json');
    writeFileSync(options, '{}');
    const config = loadConfig({ env: { SUPERVISOR_TOKEN: 'sv-token', WACTORZ_DATA_DIR: join(dir.path, 'data') }, optionsFile: options });
    const { fetchImpl, posts } = supervisor();
    const calls: unknown[] = [];
    const ha = { callService: async (call: unknown) => void calls.push(call) } as unknown as HaClient;
    const identity = { instance_id: '3f1c2d4e-0000-4000-8000-000000000001', token: 'integration-token-of-at-least-32-characters' };
    await afterListen({ config, identity, port: 8099, ha, logger: quietLogger(), fetchImpl, haConfigDir: haConfig });
    expect(posts).toEqual([{ url: 'http://supervisor/discovery', auth: 'Bearer sv-token', body: { service: 'wactorz', config: { host: expect.any(String) as unknown, port: 8099, token: identity.token } } }]);
    expect(existsSync(join(haConfig, 'custom_components', 'wactorz', 'manifest.json'))).toBe(true);
    expect(calls).toEqual([{ domain: 'persistent_notification', service: 'create', data: expect.objectContaining({ notification_id: 'wactorz_integration_installed' }) as unknown }]);

    // The next start finds the same version: nothing to install, no second notice.
    await afterListen({ config, identity, port: 8099, ha, logger: quietLogger(), fetchImpl, haConfigDir: haConfig });
    expect(calls).toHaveLength(1);
  });

  it('does nothing outside the add-on, and installs nothing when the owner turned it off', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const { fetchImpl, posts } = supervisor();
    const ha = { callService: async () => {} } as unknown as HaClient;
    const identity = { instance_id: '3f1c2d4e-0000-4000-8000-000000000001', token: 'x'.repeat(43) };
    const standalone = loadConfig({ env: { WACTORZ_DATA_DIR: dir.path }, optionsFile: join(dir.path, 'none.json') });
    await afterListen({ config: standalone, identity, port: 8099, ha, logger: quietLogger(), fetchImpl, haConfigDir: dir.path });
    expect(posts).toEqual([]);
    const off = loadConfig({ env: { SUPERVISOR_TOKEN: 't', WACTORZ_INSTALL_INTEGRATION: 'false', WACTORZ_DATA_DIR: dir.path }, optionsFile: join(dir.path, 'none.json') });
    await afterListen({ config: off, identity, port: 8099, ha, logger: quietLogger(), fetchImpl, haConfigDir: dir.path });
    expect(posts).toHaveLength(1);
    expect(existsSync(join(dir.path, 'custom_components'))).toBe(false);
  });
});
