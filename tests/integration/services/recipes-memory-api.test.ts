// The panel's recipe and memory endpoints on the assembled server (embedded broker, demo home,
// SQLite in a temp dir): GET /api/recipes from the recipes/ folder, a spawn through the catalog
// that the spawner then runs, a name in use kept, a built-in's name refused, a refused parameter answered with the catalog's words (the
// panel puts them on the field), and DELETE /api/memory forgetting what main remembered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../server/src/runtime.ts';
import { splitServerErrors } from '../../../panel/src/data/recipe-form.ts';
import type { RecipeInfo } from '../../../server/src/contract/recipes.ts';
import { runtimeIn } from '../../helpers/runtime.ts';
import { makeTempDir } from '../../helpers/tmp.ts';

let rt: Runtime;
const dir = makeTempDir();

beforeAll(async () => {
  rt = await runtimeIn(dir.path);
}, 60_000);

afterAll(async () => {
  await rt?.stop();
  dir.cleanup();
});

async function api(path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  return fetch(`${rt.address}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    ...(init.body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) }),
  });
}

describe('the panel endpoints on the real server', { timeout: 60_000 }, () => {
  it('lists the recipes, spawns one through the catalog and refuses a bad parameter with words the form can place', async () => {
    const recipes = (await (await api('/api/recipes')).json()) as RecipeInfo[];
    const daily = recipes.find((r) => r.name === 'daily-presence-summary');
    expect(daily?.parameters.hour).toMatchObject({ type: 'integer', default: 21, required: false });

    const ok = await api('/api/recipes/reminders/spawn', { body: { name: 'panel-reminders', params: { max_reminders: 3 } } });
    const body: unknown = await ok.json();
    expect(ok.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ recipe: 'reminders', agent: 'panel-reminders', status: 'spawned' });
    expect(rt.spawner.list().map((a) => a.name)).toContain('panel-reminders');

    const bad = await api('/api/recipes/daily-presence-summary/spawn', { body: { params: { hour: 'nine' } } });
    expect(bad.status).toBe(400);
    const { error } = (await bad.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('invalid');
    expect(splitServerErrors(error.message, daily!).fields.hour).toMatch(/^"hour" must be a integer, got "nine"/);
    expect(rt.spawner.list().map((a) => a.name)).not.toContain('daily-presence-summary');
    expect((await api('/api/recipes/no-such-recipe/spawn', { body: {} })).status).toBe(404);
    // A name already in use keeps the running agent; a built-in's name is refused.
    expect(await (await api('/api/recipes/reminders/spawn', { body: { name: 'panel-reminders' } })).json()).toMatchObject({ agent: 'panel-reminders', status: 'reused' });
    const builtin = await api('/api/recipes/reminders/spawn', { body: { name: 'main' } });
    expect(builtin.status).toBe(400);
    expect(((await builtin.json()) as { error: { message: string } }).error.message).toContain('is reserved for a system actor');
    // No chat turn on the way: the Chat view's conversation list stays as it was.
    expect(await (await api('/api/conversations')).json()).toEqual([]);
  });

  it('forgets every remembered fact with DELETE /api/memory', async () => {
    const source = { kind: 'user' as const, at: Date.now() };
    rt.orchestrator.facts.upsert({ key: 'user.city', value: 'Athens', category: 'location', source });
    rt.orchestrator.facts.upsert({ key: 'user.coffee', value: 'black', category: 'preference', source });
    const listed = (await (await api('/api/memory')).json()) as { key: string; origin?: string; category?: string }[];
    expect(listed).toContainEqual(expect.objectContaining({ key: 'user.city', origin: 'user', category: 'location' }));
    expect(await (await api('/api/memory', { method: 'DELETE' })).json()).toEqual({ ok: true, forgotten: 2 });
    expect(await (await api('/api/memory')).json()).toEqual([]);
    expect(rt.orchestrator.facts.list()).toEqual([]);
  });
});
