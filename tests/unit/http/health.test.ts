import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../server/src/http/app.ts';
import type { HealthSources } from '../../../server/src/http/health.ts';
import { VERSION } from '../../../server/src/version.ts';
import { makeTempDir } from '../../helpers/tmp.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function sources(over: Partial<{ broker: ReturnType<HealthSources['broker']>; ha: ReturnType<HealthSources['ha']> }> = {}): HealthSources {
  return {
    broker: () => over.broker ?? { mode: 'embedded', state: 'connected', url: 'mqtt://127.0.0.1:1883' },
    ha: () => over.ha ?? { mode: 'demo', state: 'connected', version: '2025.10.0' },
    llm: () => ({ provider: 'anthropic', model: 'claude-sonnet-4-6' }),
  };
}

function noPanel(): string {
  const d = makeTempDir();
  cleanups.push(d.cleanup);
  return join(d.path, 'missing');
}

describe('GET /api/health', () => {
  it('reports status, version, uptime, broker, HA and LLM state', async () => {
    const startedAt = new Date(1_000_000);
    const app = await buildApp({ health: sources(), startedAt, now: () => 1_000_000 + 12_345, panelDir: noPanel() });
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.json()).toEqual({
      status: 'ok',
      version: VERSION,
      uptime_s: 12.3,
      started_at: startedAt.toISOString(),
      node: process.version,
      broker: { mode: 'embedded', state: 'connected', url: 'mqtt://127.0.0.1:1883' },
      ha: { mode: 'demo', state: 'connected', version: '2025.10.0' },
      llm: { provider: 'anthropic', model: 'claude-sonnet-4-6' },
      channels: {},
    });
    await app.close();
  });

  it("reports each chat channel that is set up; a failed one does not degrade the whole", async () => {
    const health: HealthSources = {
      ...sources(),
      channels: () => ({ telegram: { state: 'failed', error: 'Telegram refused the bot token (401 Unauthorized)' }, discord: { state: 'connected', account: 'Wactorz#0001' } }),
    };
    const app = await buildApp({ health, startedAt: new Date(), panelDir: noPanel() });
    const body = (await app.inject({ url: '/api/health' })).json<{ status: string; channels: unknown }>();
    expect(body.status).toBe('ok');
    expect(body.channels).toEqual({ telegram: { state: 'failed', error: 'Telegram refused the bot token (401 Unauthorized)' }, discord: { state: 'connected', account: 'Wactorz#0001' } });
    await app.close();
  });

  it('is degraded while the broker or Home Assistant is not connected, and says why', async () => {
    const app = await buildApp({
      health: sources({ broker: { mode: 'external', state: 'disconnected', error: 'connect ECONNREFUSED 10.0.0.5:1883' } }),
      startedAt: new Date(),
      panelDir: noPanel(),
    });
    const body = (await app.inject({ url: '/api/health' })).json<{ status: string; broker: { error: string } }>();
    expect(body.status).toBe('degraded');
    expect(body.broker.error).toContain('ECONNREFUSED');
    const app2 = await buildApp({ health: sources({ ha: { mode: 'direct', state: 'connecting' } }), startedAt: new Date(), panelDir: noPanel() });
    expect((await app2.inject({ url: '/api/health' })).json<{ status: string }>().status).toBe('degraded');
    await app.close();
    await app2.close();
  });
});

describe('errors and the panel', () => {
  it('answers unknown routes with a JSON error', async () => {
    const app = await buildApp({ health: sources(), startedAt: new Date(), panelDir: noPanel() });
    const res = await app.inject({ url: '/api/nope?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'No route for GET /api/nope' } });
    await app.close();
  });

  it('hides the details of a 5xx', async () => {
    const app = await buildApp({ health: sources(), startedAt: new Date(), panelDir: noPanel() });
    app.get('/api/boom', () => {
      throw new Error('database password is hunter2');
    });
    const res = await app.inject({ url: '/api/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('hunter2');
    expect(res.json()).toEqual({ error: { code: 'internal_error', message: 'Internal server error' } });
    await app.close();
  });

  it('serves the built panel at / with relative asset URLs', async () => {
    const dir = makeTempDir();
    cleanups.push(dir.cleanup);
    mkdirSync(join(dir.path, 'assets'));
    writeFileSync(join(dir.path, 'index.html'), '<!doctype html><script type="module" src="./assets/app.js"></script>');
    writeFileSync(join(dir.path, 'assets', 'app.js'), 'console.log(1)');
    const app = await buildApp({ health: sources(), startedAt: new Date(), panelDir: dir.path });
    const index = await app.inject({ url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toMatch(/text\/html/);
    expect(index.body).toContain('./assets/app.js');
    expect((await app.inject({ url: '/assets/app.js' })).statusCode).toBe(200);
    await app.close();
  });

  it('says how to build the panel when it is missing', async () => {
    const app = await buildApp({ health: sources(), startedAt: new Date(), panelDir: noPanel() });
    const res = await app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('npm run build:panel');
    await app.close();
  });
});
