import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/http-app.ts';

let t: TestApp;
beforeEach(async () => (t = await buildTestApp()));
afterEach(() => t.close());

async function proposal(): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/chat', payload: { message: 'notify me when the front door opens' } });
  expect(res.statusCode).toBe(200);
  const plans = (await t.app.inject({ url: '/api/plans' })).json<{ id: string; status: string }[]>();
  expect(plans).toHaveLength(1);
  return plans[0].id;
}

describe('/api/rules', () => {
  it('lists rules with status, created time, last fired and backtest', async () => {
    const rules = (await t.app.inject({ url: '/api/rules' })).json<Record<string, unknown>[]>();
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ id: 'rule-1', enabled: true, status: 'active', fire_count: 3, last_fired_at: expect.any(String) as unknown, backtest: { would_have_fired: 7 }, cost_usd: 0.0123, cost_today_usd: 0.002 });
  });

  it('disables and enables a rule, and 404s an unknown one', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/api/rules/rule-1/disable' })).json()).toMatchObject({ enabled: false, status: 'disabled' });
    expect((await t.app.inject({ method: 'POST', url: '/api/rules/rule-1/enable' })).json()).toMatchObject({ enabled: true, status: 'active' });
    expect((await t.app.inject({ method: 'POST', url: '/api/rules/nope/enable' })).statusCode).toBe(404);
  });

  it('serves a rule\'s traces newest first, narrowed by time and count, and 404s an unknown rule', async () => {
    const all = await t.app.inject({ url: '/api/rules/rule-1/traces' });
    expect(all.statusCode).toBe(200);
    expect(all.json<{ outcome: string }[]>().map((x) => x.outcome)).toEqual(['acted', 'filtered']);
    const around = (await t.app.inject({ url: '/api/rules/rule-1/traces?from=2026-05-13T10:41:00Z&to=2026-05-13T10:43:00Z' })).json<{ id: number; steps: unknown[] }[]>();
    expect(around).toMatchObject([{ id: 2, steps: [{ kind: 'filter', ok: true }, { kind: 'action', label: 'notify.mobile_app_phone', detail: 'HA answered ok' }] }]);
    expect((await t.app.inject({ url: '/api/rules/rule-1/traces?limit=1' })).json()).toHaveLength(1);
    expect((await t.app.inject({ url: '/api/rules/rule-1/traces?from=yesterday' })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/rules/nope/traces' })).statusCode).toBe(404);
  });

  it('deletes a rule', async () => {
    expect((await t.app.inject({ method: 'DELETE', url: '/api/rules/rule-1' })).json()).toEqual({ ok: true });
    expect((await t.app.inject({ url: '/api/rules' })).json()).toEqual([]);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/rules/rule-1' })).statusCode).toBe(404);
  });
});

describe('/api/plans', () => {
  it('approving a proposal creates its rule; approving twice is a conflict', async () => {
    const id = await proposal();
    const res = await t.app.inject({ method: 'POST', url: `/api/plans/${id}/approve` });
    expect(res.statusCode).toBe(200);
    const plan = res.json<{ status: string; rule_id: string }>();
    expect(plan.status).toBe('approved');
    const rules = (await t.app.inject({ url: '/api/rules' })).json<{ id: string; name: string }[]>();
    expect(rules.find((r) => r.id === plan.rule_id)?.name).toBe('Front door notification');
    const again = await t.app.inject({ method: 'POST', url: `/api/plans/${id}/approve` });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'conflict' } });
  });

  it('rejects a proposal with a reason, and 404s an unknown plan', async () => {
    const id = await proposal();
    const res = await t.app.inject({ method: 'POST', url: `/api/plans/${id}/reject`, payload: { reason: 'not now' } });
    expect(res.json()).toMatchObject({ status: 'rejected', reason: 'not now' });
    expect((await t.app.inject({ method: 'POST', url: '/api/plans/nope/approve' })).statusCode).toBe(404);
  });
});
