// The runtime with no Home Assistant configured: it starts the demo home in-process, connects the
// real client to it, reports it on /api/health and closes it on stop; with HA_URL set it connects
// there instead (here: a demo home standing in for a remote HA).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/src/config/load.ts';
import { startRuntime, type Runtime } from '../../../server/src/runtime.ts';
import { quietLogger, startDemoHome } from '../../helpers/ha.ts';
import { makeTempDir } from '../../helpers/tmp.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function runtimeWith(env: Record<string, string>): Promise<Runtime> {
  const dir = makeTempDir();
  cleanups.push(() => dir.cleanup());
  const config = { ...loadConfig({ env, argv: ['--data-dir', dir.path, '--mqtt-embedded-port', '0'], optionsFile: join(dir.path, 'none.json') }), port: 0 };
  const runtime = await startRuntime({ config, logger: quietLogger() });
  cleanups.push(() => runtime.stop());
  return runtime;
}

describe('runtime and Home Assistant', () => {
  it('without HA configured: the demo home runs in-process and /api/health shows it connected with its version', async () => {
    const runtime = await runtimeWith({});
    expect(runtime.config.ha.mode).toBe('demo');
    expect(runtime.haDemo).toBeDefined();
    const health = (await (await fetch(`${runtime.address}/api/health`)).json()) as { ha: unknown };
    expect(health.ha).toEqual({ mode: 'demo', state: 'connected', version: '2026.10.4' });
    await runtime.ha.callService({ domain: 'light', service: 'turn_on', target: { entity_id: 'light.hallway' } });
    expect(runtime.haDemo!.getState('light.hallway')?.state).toBe('on');

    const demoUrl = runtime.haDemo!.url;
    await runtime.stop();
    expect(runtime.ha.health().state).toBe('disabled');
    await expect(fetch(`${demoUrl}/api/`)).rejects.toThrow();
  });

  it('with HA_URL and HA_TOKEN: connects there, and health never shows the token', async () => {
    const remote = await startDemoHome();
    cleanups.push(() => remote.stop());
    const runtime = await runtimeWith({ HA_URL: remote.url, HA_TOKEN: remote.token });
    expect(runtime.haDemo).toBeUndefined();
    const text = await (await fetch(`${runtime.address}/api/health`)).text();
    expect(JSON.parse(text)).toMatchObject({ ha: { mode: 'direct', state: 'connected', version: '2026.10.4' } });
    expect(text).not.toContain(remote.token);
    expect(runtime.ha.getState('lock.front_door')?.state).toBe('locked');
  });
});
