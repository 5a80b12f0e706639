// Memory, cost, budget, topics, nodes and the HA map.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/http-app.ts';

let t: TestApp;
beforeEach(async () => (t = await buildTestApp()));
afterEach(() => t.close());

describe('/api/memory', () => {
  it('lists facts with their source and forgets one', async () => {
    expect((await t.app.inject({ url: '/api/memory' })).json()).toContainEqual(expect.objectContaining({ key: 'user.phone', source: 'chat' }));
    expect((await t.app.inject({ method: 'DELETE', url: '/api/memory/user.phone' })).json()).toEqual({ ok: true });
    expect((await t.app.inject({ url: '/api/memory' })).json<{ key: string }[]>().map((m) => m.key)).toEqual(['home.bedtime']);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/memory/user.phone' })).statusCode).toBe(404);
  });

  it('forgets every fact at once and says how many', async () => {
    expect((await t.app.inject({ method: 'DELETE', url: '/api/memory' })).json()).toEqual({ ok: true, forgotten: 2 });
    expect((await t.app.inject({ url: '/api/memory' })).json()).toEqual([]);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/memory' })).json()).toEqual({ ok: true, forgotten: 0 });
    expect(t.fake.state.calls.filter((c) => c.what === 'memory.clear').map((c) => c.ctx.identity.via)).toEqual(['local', 'local']);
  });
});

describe('/api/recipes', () => {
  it('lists the catalogue with each parameter, its default and whether it is required', async () => {
    const list = (await t.app.inject({ url: '/api/recipes' })).json<{ name: string; parameters: Record<string, { type: string; required: boolean; default?: unknown }>; scopes: string[] }[]>();
    expect(list.map((r) => r.name)).toEqual(expect.arrayContaining(['daily-presence-summary', 'reminders', 'weather-fetcher']));
    const daily = list.find((r) => r.name === 'daily-presence-summary');
    expect(daily?.parameters.hour).toMatchObject({ type: 'integer', default: 21, required: false });
    expect(daily?.scopes.length).toBeGreaterThan(0);
  });

  it('lists the recipes that failed to load with their reasons, apart from the spawnable list', async () => {
    const res = await t.app.inject({ url: '/api/recipes/broken' });
    expect(res.json()).toEqual({ broken: [expect.objectContaining({ name: 'door-opener', source: 'owner', reason: expect.stringContaining('ha:sensitive') as unknown }), expect.objectContaining({ name: 'half-written', source: 'owner' })] });
    expect((await t.app.inject({ url: '/api/recipes' })).json<{ name: string }[]>().map((r) => r.name)).not.toContain('door-opener');
  });

  it("spawns a recipe, and refuses a bad parameter with the catalog's words and an unknown recipe with 404", async () => {
    const ok = await t.app.inject({ method: 'POST', url: '/api/recipes/reminders/spawn', payload: { name: 'my-reminders', params: { max_reminders: 3 } } });
    expect(ok.json()).toMatchObject({ recipe: 'reminders', agent: 'my-reminders', status: 'spawned' });
    expect((await t.app.inject({ url: '/api/agents' })).json<{ name: string }[]>().map((a) => a.name)).toContain('my-reminders');
    const bad = await t.app.inject({ method: 'POST', url: '/api/recipes/daily-presence-summary/spawn', payload: { params: { hour: 'nine' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'invalid', message: expect.stringContaining('"hour" must be a integer') as unknown } });
    expect((await t.app.inject({ method: 'POST', url: '/api/recipes/no-such-recipe/spawn', payload: {} })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: '/api/recipes/reminders/spawn', payload: { name: 'has spaces' } })).statusCode).toBe(400);
  });
});

describe('/api/cost and /api/budget', () => {
  it('reports spend for a period (a week by default) and refuses an unknown period', async () => {
    const week = (await t.app.inject({ url: '/api/cost' })).json<{ period: string; points: unknown[]; by_provider: { key: string }[] }>();
    expect(week.period).toBe('week');
    expect(week.points).toHaveLength(14);
    expect(week.by_provider.map((p) => p.key).sort()).toEqual(['anthropic', 'openai']);
    expect((await t.app.inject({ url: '/api/cost?period=day' })).json()).toMatchObject({ period: 'day' });
    expect((await t.app.inject({ url: '/api/cost?period=decade' })).statusCode).toBe(400);
  });

  it('reads and changes the budget; null removes a limit; negative or empty changes are refused', async () => {
    expect((await t.app.inject({ url: '/api/budget' })).json()).toMatchObject({ daily_usd: 1, weekly_usd: 5, monthly_usd: null, exhausted: false });
    const put = await t.app.inject({ method: 'PUT', url: '/api/budget', payload: { daily_usd: 2.5, weekly_usd: null } });
    expect(put.json()).toMatchObject({ daily_usd: 2.5, weekly_usd: null });
    expect((await t.app.inject({ method: 'PUT', url: '/api/budget', payload: { daily_usd: -1 } })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'PUT', url: '/api/budget', payload: {} })).json()).toMatchObject({ error: { code: 'invalid' } });
  });
});

describe('/api/topics, /api/nodes, /api/ha-map', () => {
  it('lists topics with contracts, observed schemas and wiring', async () => {
    const topics = (await t.app.inject({ url: '/api/topics' })).json<{ topic: string; publishers: string[]; observed_schema: unknown }[]>();
    expect(topics[0]).toMatchObject({ topic: 'wactorz/custom/detections/door', publishers: ['camera-counter'], observed_schema: { type: 'object' } });
  });

  it('lists nodes online and offline with their agents and supervision', async () => {
    const nodes = (await t.app.inject({ url: '/api/nodes' })).json<{ name: string; online: boolean; agents: string[]; supervision?: string | null }[]>();
    expect(nodes.map((n) => [n.name, n.online, n.agents.length, n.supervision])).toEqual([['local', true, 3, undefined], ['pi-garden', false, 1, 'none']]);
  });

  it('returns the HA map, and 404 before the first snapshot', async () => {
    const map = (await t.app.inject({ url: '/api/ha-map' })).json<{ entities: Record<string, unknown>[] }>();
    expect(map.entities[0]).toEqual({ entity_id: 'light.living_room', area_id: 'living_room', state: 'off' });
    t.fake.state.haMap = undefined;
    const none = await t.app.inject({ url: '/api/ha-map' });
    expect(none.statusCode).toBe(404);
    expect(none.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('services not plugged in yet', () => {
  it('answer 503 unavailable on every resource route', async () => {
    const bare = await buildTestApp({ services: false });
    const calls: [string, string][] = [
      ['POST', '/api/chat'], ['GET', '/api/conversations'], ['GET', '/api/conversations/x'],
      ['GET', '/api/agents'], ['GET', '/api/agents/x'], ['POST', '/api/agents/x/stop'], ['DELETE', '/api/agents/x'],
      ['GET', '/api/rules'], ['POST', '/api/rules/x/enable'], ['DELETE', '/api/rules/x'],
      ['GET', '/api/plans'], ['POST', '/api/plans/x/approve'], ['GET', '/api/memory'], ['DELETE', '/api/memory/x'], ['DELETE', '/api/memory'],
      ['GET', '/api/recipes'], ['POST', '/api/recipes/x/spawn'],
      ['GET', '/api/cost'], ['GET', '/api/budget'], ['PUT', '/api/budget'], ['GET', '/api/topics'], ['GET', '/api/nodes'], ['GET', '/api/ha-map'],
    ];
    for (const [method, url] of calls) {
      const payload = method === 'POST' && url === '/api/chat' ? { message: 'hi' } : method === 'PUT' ? { daily_usd: 1 } : method === 'POST' ? {} : undefined;
      const res = await bare.app.inject({ method: method as 'GET', url, payload });
      expect([url, res.statusCode]).toEqual([url, 503]);
      expect(res.json()).toMatchObject({ error: { code: 'unavailable' } });
    }
    expect((await bare.app.inject({ url: '/api/health' })).statusCode).toBe(200);
    await bare.close();
  });
});
