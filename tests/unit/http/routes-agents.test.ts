import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LiveEnvelope } from '../../../server/src/http/live-hub.ts';
import { buildTestApp, type TestApp } from '../../helpers/http-app.ts';

let t: TestApp;
beforeEach(async () => (t = await buildTestApp()));
afterEach(() => t.close());

describe('/api/agents', () => {
  it('lists agents with exactly the documented fields', async () => {
    const res = await t.app.inject({ url: '/api/agents' });
    expect(res.statusCode).toBe(200);
    const agents = res.json<Record<string, unknown>[]>();
    expect(agents.map((a) => a.name)).toEqual(['main', 'energy-tracker', 'garden-watcher', 'camera-counter']);
    expect(Object.keys(agents[0]).sort()).toEqual(['cost_usd', 'description', 'errors', 'id', 'last_heartbeat', 'messages_processed', 'name', 'node', 'problem', 'protected', 'started_at', 'state', 'type']);
  });

  it('shows one agent with its recent logs, and 404 for an unknown one', async () => {
    const one = await t.app.inject({ url: '/api/agents/energy-tracker' });
    expect(one.json()).toMatchObject({ name: 'energy-tracker', protected: false, recent_logs: [{ level: 'info', message: 'hourly total 0.42 kWh' }] });
    const none = await t.app.inject({ url: '/api/agents/ghost' });
    expect(none.statusCode).toBe(404);
    expect(none.json()).toEqual({ error: { code: 'not_found', message: 'No agent named "ghost"' } });
  });

  it('stops, pauses, resumes and restarts an agent and publishes each state change', async () => {
    const seen: LiveEnvelope[] = [];
    t.hub.on((e) => seen.push(e));
    for (const [cmd, state] of [['stop', 'stopped'], ['pause', 'paused'], ['resume', 'running'], ['restart', 'running']] as const) {
      const res = await t.app.inject({ method: 'POST', url: `/api/agents/energy-tracker/${cmd}` });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ name: 'energy-tracker', state });
    }
    expect(seen.map((e) => [e.topic, e.event])).toEqual([
      ['agents', { type: 'agent.state', agent: 'energy-tracker', state: 'stopped' }],
      ['agents', { type: 'agent.state', agent: 'energy-tracker', state: 'paused' }],
      ['agents', { type: 'agent.state', agent: 'energy-tracker', state: 'running' }],
      ['agents', { type: 'agent.state', agent: 'energy-tracker', state: 'running' }],
    ]);
  });

  it('refuses an unknown command and an unknown agent', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/api/agents/energy-tracker/explode' })).json()).toMatchObject({ error: { code: 'invalid_request' } });
    expect((await t.app.inject({ method: 'POST', url: '/api/agents/ghost/stop' })).statusCode).toBe(404);
  });

  it('deletes an agent, but not a protected one', async () => {
    const del = await t.app.inject({ method: 'DELETE', url: '/api/agents/garden-watcher' });
    expect(del.json()).toEqual({ ok: true });
    expect((await t.app.inject({ url: '/api/agents/garden-watcher' })).statusCode).toBe(404);
    const main = await t.app.inject({ method: 'DELETE', url: '/api/agents/main' });
    expect(main.statusCode).toBe(403);
    expect(main.json()).toEqual({ error: { code: 'forbidden', message: 'main is part of the system and cannot be deleted' } });
    expect((await t.app.inject({ method: 'DELETE', url: '/api/agents/ghost' })).statusCode).toBe(404);
  });

  it('never lets a service leak fields the schema does not declare', async () => {
    const leaky = await buildTestApp({
      services: { agents: { ...t.fake.services.agents, list: async () => [{ ...(await t.fake.services.agents.list())[0], token: 'secret-token-123' } as never] } },
    });
    const res = await leaky.app.inject({ url: '/api/agents' });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('secret-token-123');
    await leaky.close();
  });
});
