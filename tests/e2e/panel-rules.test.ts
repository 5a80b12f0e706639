// The Rules view's evaluations (issue 16, Panel) in headless Chromium over the real app with fake
// services: a rule's timeline of recent evaluations, each ending its own way; a trace opened by
// click and by keyboard with every step (the filter clause and the value it read, the condition
// and the state then, the cooldown, the action and HA's answer, timings); the timeline refetched
// when the rule is evaluated (rule.trace, a burst coalesced) or fires; the rule's cost. In every
// look (1280/390 px, light/dark), with screenshots.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RuleTrace } from '../../server/src/contract/rules.ts';
import { screenshot } from '../helpers/browser.ts';
import { usePanelSession } from '../helpers/browser-session.ts';
import type { PanelServer } from '../helpers/panel-server.ts';
import { LOOKS } from './looks.ts';

const session = usePanelSession();
let page: Page | undefined;

const p = (): Page => {
  if (!page) throw new Error('no page open');
  return page;
};
const TOPIC = 'wactorz/ha/state_changes/binary_sensor/binary_sensor.front_door';

/** A morning of the porch rule, newest first: it acted, then was filtered, held by its condition, its cooldown, HA being away, and an action error. */
export function porchTraces(ruleId: string): RuleTrace[] {
  const base = { rule_id: ruleId, agent: 'porch-light', kind: 'trigger' as const, topic: TOPIC, duration_ms: 38 };
  const door = (from: string, to: string) => `binary_sensor.front_door: "${from}" -> "${to}"`;
  const filter = (actual: string, ok: boolean) => ({ kind: 'filter' as const, label: 'new_state.state', ok, detail: `"${actual}", wanted "on"`, ms: 0 });
  return [
    {
      ...base, id: 7, at: '2026-05-13T10:42:10.000Z', message: door('off', 'on'), outcome: 'acted',
      steps: [
        filter('on', true),
        { kind: 'cooldown', label: 'cooldown', ok: true, detail: '600 s, ran 3120 s ago', ms: 0 },
        { kind: 'ha', label: 'Home Assistant reachable', ok: true, ms: 1 },
        { kind: 'condition', label: 'sun.sun is below_horizon', ok: true, detail: 'state "below_horizon"', ms: 2 },
        { kind: 'sensitive', label: 'sensitive actions confirmed', ok: true, detail: 'none sensitive', ms: 2 },
        { kind: 'action', label: 'light.turn_on light.porch', ok: true, detail: 'HA answered ok', ms: 37 },
      ],
    },
    { ...base, id: 6, at: '2026-05-13T10:41:00.000Z', message: door('on', 'off'), outcome: 'filtered', duration_ms: 0, steps: [filter('off', false)] },
    {
      ...base, id: 5, at: '2026-05-13T10:30:00.000Z', message: door('off', 'on'), outcome: 'condition_false', duration_ms: 2,
      steps: [filter('on', true), { kind: 'cooldown', label: 'cooldown', ok: true, detail: '600 s, never ran', ms: 0 }, { kind: 'condition', label: 'sun.sun is below_horizon', ok: false, detail: 'state "above_horizon"', ms: 2 }],
    },
    { ...base, id: 4, at: '2026-05-13T10:20:00.000Z', message: door('off', 'on'), outcome: 'cooldown', duration_ms: 0, steps: [filter('on', true), { kind: 'cooldown', label: 'cooldown', ok: false, detail: 'ran 40 s ago, waits 600 s', ms: 0 }] },
    { ...base, id: 3, at: '2026-05-13T10:10:00.000Z', message: door('off', 'on'), outcome: 'unreachable', duration_ms: 0, steps: [filter('on', true), { kind: 'ha', label: 'Home Assistant reachable', ok: false, detail: 'HA connection is reconnecting', ms: 0 }] },
    {
      ...base, id: 2, at: '2026-05-13T10:00:00.000Z', message: door('off', 'on'), outcome: 'failed', duration_ms: 1200,
      steps: [filter('on', true), { kind: 'action', label: 'light.turn_on light.porch', ok: false, detail: 'HA error not_found: Entity light.porch not found', ms: 1200 }],
    },
    { ...base, id: 1, at: '2026-05-13T09:50:00.000Z', message: door('on', 'off'), outcome: 'filtered', duration_ms: 0, steps: [filter('off', false)] },
  ];
}

/** Serves `traces` for rule-1 in place of the fake's two, counting the requests. */
function serveTraces(s: PanelServer, traces: () => RuleTrace[]): { requests: number } {
  const seen = { requests: 0 };
  s.fake.services.rules.traces = async (id, q) => {
    seen.requests++;
    return id === 'rule-1' ? traces().slice(0, q.limit) : [];
  };
  return seen;
}

/** On a phone the layout viewport widens to fit what overflows, so compare with the device's width. */
async function noHorizontalOverflow(width: number): Promise<void> {
  expect(await p().evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
}

describe('the Rules view', () => {
  for (const look of LOOKS) {
    it(`shows a rule's evaluations as a timeline and opens a trace with every step (${look.name})`, async () => {
      const server = await session.startPanel();
      serveTraces(server, () => porchTraces('rule-1'));
      Object.assign(server.fake.state.rules[0] ?? {}, { cost_usd: 0.0123, cost_today_usd: 0.002 });
      page = await session.open(`${server.url}/#/rules`, look.options);

      const card = p().locator('wz-rules-view [data-rule=rule-1]');
      const strip = card.locator('[data-field=timeline]');
      await strip.waitFor();
      // Oldest first, one marker per evaluation, each saying how it ended.
      expect(await strip.locator('[role=option]').evaluateAll((els) => els.map((e) => e.getAttribute('data-outcome')))).toEqual([
        'filtered', 'failed', 'unreachable', 'cooldown', 'condition_false', 'filtered', 'acted',
      ]);
      expect(await strip.locator('[role=option]').last().getAttribute('aria-label')).toMatch(/, acted$/);
      const counts = await card.locator('[data-field=counts] .chip').allInnerTexts();
      expect(counts.map((c) => c.replace(/\s+/g, ' ').trim())).toEqual(['✓ 1 acted', '✕ 1 error', '! 1 HA unreachable', '‖ 1 cooldown', '≠ 1 condition false', '– 2 filtered out']);
      // The newest evaluation's reason, without a click.
      expect(await card.locator('[data-field=latest]').innerText()).toContain('light.turn_on light.porch: HA answered ok');
      expect(await card.locator('[data-field=cost]').innerText()).toMatch(/\$0\.01.*\$0\.0020 today/);

      // A click on the condition-false marker: the trace says which condition and the state then.
      await strip.locator('[data-outcome=condition_false]').click();
      const trace = card.locator('wz-rule-trace [data-trace="5"]');
      await trace.waitFor();
      expect(await trace.locator('[data-field=outcome]').innerText()).toContain('condition false');
      expect(await trace.locator('[data-field=message]').innerText()).toBe('binary_sensor.front_door: "off" -> "on"');
      expect(await trace.innerText()).toContain(TOPIC);
      const condition = trace.locator('[data-step=condition]');
      expect(await condition.getAttribute('data-ok')).toBe('false');
      expect(await condition.innerText()).toContain('sun.sun is below_horizon');
      expect(await condition.innerText()).toContain('state "above_horizon"');
      await noHorizontalOverflow(look.options.viewport!.width);
      await screenshot(p(), `rules-trace-${look.name}`);

      // The keyboard: End goes to the newest (the trace follows), Home to the oldest, Escape closes.
      await p().keyboard.press('End');
      const acted = card.locator('wz-rule-trace [data-trace="7"]');
      await acted.waitFor();
      expect(await acted.locator('[data-step]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-step')}:${e.getAttribute('data-ok')}`))).toEqual([
        'filter:true', 'cooldown:true', 'ha:true', 'condition:true', 'sensitive:true', 'action:true',
      ]);
      expect(await acted.locator('[data-step=filter]').innerText()).toContain('"on", wanted "on"');
      expect(await acted.locator('[data-step=action]').innerText()).toContain('HA answered ok');
      expect(await acted.locator('[data-step=action]').innerText()).toContain('+37 ms');
      expect(await strip.locator('[data-id="7"]').evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
      await p().keyboard.press('Home');
      await card.locator('wz-rule-trace [data-trace="1"]').waitFor();
      expect(await card.locator('wz-rule-trace [data-step=filter]').innerText()).toContain('"off", wanted "on"');
      await p().keyboard.press('Escape');
      await card.locator('wz-rule-trace').waitFor({ state: 'detached' });
      await card.locator('[data-field=latest]').waitFor();
    });
  }

  it('refetches the timeline when the rule is evaluated or fires, coalesced, and not for other rules\' news', async () => {
    const s = await session.startPanel();
    let traces = porchTraces('rule-1').slice(2);
    const seen = serveTraces(s, () => traces);
    page = await session.open(`${s.url}/#/rules`);
    const strip = p().locator('wz-rules-view [data-rule=rule-1] [data-field=timeline]');
    await strip.locator('[role=option]').nth(4).waitFor();
    let before = seen.requests;

    // An evaluation that did not fire (the door closing: filtered out) shows without Refresh.
    traces = porchTraces('rule-1').slice(1);
    s.hub.publish({ type: 'rule.trace', rule_id: 'rule-9', outcome: 'acted', at: '2026-05-13T10:41:00.000Z' });
    s.hub.publish({ type: 'rule.trace', rule_id: 'rule-1', outcome: 'filtered', at: '2026-05-13T10:41:00.000Z' });
    await strip.locator('[role=option]').nth(5).waitFor();
    expect(await strip.locator('[role=option]').last().getAttribute('data-outcome')).toBe('filtered');
    expect(seen.requests - before).toBe(1);

    // 20 evaluations in a burst: a fetch under way absorbs them, one more is queued, and the
    // timeline ends with the last one. No refetch per event.
    before = seen.requests;
    traces = porchTraces('rule-1');
    for (let i = 0; i < 20; i++) s.hub.publish({ type: 'rule.trace', rule_id: 'rule-1', outcome: i === 19 ? 'acted' : 'filtered', at: '2026-05-13T10:42:10.000Z' });
    await strip.locator('[data-outcome=acted]').waitFor();
    expect(await strip.locator('[role=option]').count()).toBe(7);
    const afterBurst = seen.requests - before;
    expect(afterBurst).toBeGreaterThanOrEqual(1);
    expect(afterBurst).toBeLessThanOrEqual(3);
    before = seen.requests;

    // The same firing time again (an enable/disable, say) is no reason to fetch.
    const rule = s.fake.state.rules[0];
    if (!rule) throw new Error('the fake has rule-1');
    s.hub.publish({ type: 'rule.status', rule_id: 'rule-1', status: 'active', enabled: true, last_fired_at: rule.last_fired_at });
    s.hub.publish({ type: 'rule.status', rule_id: 'rule-9', status: 'active', enabled: true, last_fired_at: '2026-05-13T10:42:10.000Z' });
    // A new firing refetches once (its rule.trace came first on a real server; a firing is news either way).
    s.hub.publish({ type: 'rule.status', rule_id: 'rule-1', status: 'active', enabled: true, last_fired_at: '2026-05-13T10:42:10.000Z' });
    await expect.poll(() => seen.requests - before).toBe(1);
    expect(await strip.locator('[role=option]').count()).toBe(7);
  });

  it('says so when nothing has reached a rule, and shows no timeline where the server keeps no traces', async () => {
    const server = await session.startPanel();
    serveTraces(server, () => []);
    page = await session.open(`${server.url}/#/rules`);
    const card = p().locator('wz-rules-view [data-rule=rule-1]');
    expect(await card.locator('[data-field=no-traces]').innerText()).toContain('nothing has reached this rule');
    await page.context().close();

    delete server.fake.services.rules.traces;
    page = await session.open(`${server.url}/#/rules`);
    const bare = p().locator('wz-rules-view [data-rule=rule-1]');
    await bare.locator('[data-field=backtest]').waitFor();
    // The card rendered its timeline (loading) in the same task; the 404 then leaves it empty, not an error.
    await p().waitForFunction(() => {
      const card = document.querySelector('wactorz-panel')?.shadowRoot?.querySelector('wz-rules-view')?.shadowRoot?.querySelector('wz-rule-card');
      return card?.shadowRoot?.querySelector('wz-rule-timeline')?.shadowRoot?.childElementCount === 0;
    });
    expect(await bare.locator('wz-rule-timeline .error').count()).toBe(0);
  });
});
