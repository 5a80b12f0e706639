// /api/agents/:name/grants with the real grant service over the fake spawner: the preview the
// panel confirms with, a sensitive PUT refused without confirm, revoke, and the refusals (not a
// grant, not a spawned agent) in the server's words.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/http-app.ts';

let t: TestApp;
beforeEach(async () => (t = await buildTestApp()));
afterEach(() => t.close());

const url = (agent: string, grant?: string) => `/api/agents/${agent}/grants${grant === undefined ? '' : `/${encodeURIComponent(grant)}`}`;

describe('/api/agents/:name/grants', () => {
  it("lists a spawned agent's grants with the valid forms, and 404 for a built-in agent", async () => {
    expect((await t.app.inject({ url: url('energy-tracker') })).json()).toMatchObject({ name: 'energy-tracker', grants: ['ha:sensitive:cover.garage_door'], valid_forms: expect.arrayContaining(['ha:sensitive:lock']) as unknown });
    expect((await t.app.inject({ url: url('main') })).statusCode).toBe(404);
  });

  it('previews a grant in its one spelling with what the code will be able to do', async () => {
    const preview = await t.app.inject({ url: url('energy-tracker', 'HA:sensitive:lock.front_door') });
    expect(preview.json()).toEqual({ name: 'energy-tracker', grant: 'ha:sensitive:lock.front_door', effect: 'lock, unlock and open lock.front_door', needs_confirm: true, granted: false });
    expect((await t.app.inject({ url: url('energy-tracker', 'ha:sensitive:cover.garage_door') })).json()).toMatchObject({ granted: true });
    const bad = await t.app.inject({ url: url('energy-tracker', 'ha:sensitive:light.kitchen') });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { message: string } }>().error.message).toContain('is not a grant. Valid grants: ha:sensitive; ha:sensitive:lock');
    expect((await t.app.inject({ url: url('main', 'ha:sensitive:lock') })).statusCode).toBe(404);
    expect(t.fake.state.grants.get('energy-tracker')).toEqual(['ha:sensitive:cover.garage_door']);
  });

  it('grants a sensitive grant only with confirm: true, then revokes it', async () => {
    const unconfirmed = await t.app.inject({ method: 'PUT', url: url('energy-tracker', 'ha:sensitive:lock'), payload: {} });
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.json<{ error: { message: string } }>().error.message).toContain('lock, unlock and open every lock');
    expect(t.fake.state.grants.get('energy-tracker')).toEqual(['ha:sensitive:cover.garage_door']);
    const granted = await t.app.inject({ method: 'PUT', url: url('energy-tracker', 'ha:sensitive:lock'), payload: { confirm: true } });
    expect(granted.json()).toMatchObject({ grants: ['ha:sensitive:cover.garage_door', 'ha:sensitive:lock'] });
    const revoked = await t.app.inject({ method: 'DELETE', url: url('energy-tracker', 'ha:sensitive:cover.garage_door') });
    expect(revoked.json()).toMatchObject({ grants: ['ha:sensitive:lock'] });
    expect(t.fake.state.grants.get('energy-tracker')).toEqual(['ha:sensitive:lock']);
  });
});
