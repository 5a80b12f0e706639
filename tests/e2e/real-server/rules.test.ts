// The Rules view against the real server (startRuntime: embedded broker, SQLite, the demo home,
// the planner, a scripted fake LLM), from sentence to trace: a rule asked for in Chat and approved;
// the front door opening in the demo home makes it act, and its timeline shows that evaluation
// without a reload (its rule.trace); the trace shows the filter clause with the value it read and
// HA's answer to the light; a closing door shows as filtered out, also without Refresh, and a
// burst of 20 evaluations reaches the timeline in a few fetches, not 20. Then an edit
// in plain words ("30 minutes instead"), approved in Chat, shows as version 2 with its diff, and a
// rollback to version 1 is recorded as version 3.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SqliteSpawnRegistry } from '../../../server/src/store/spawn-registry.ts';
import { reply, type FakeReply, type FakeRequest } from '../../helpers/fake-llm/index.ts';
import { screenshot } from '../../helpers/browser.ts';
import { usePanelSession } from '../../helpers/browser-session.ts';
import { DOOR_LIGHT_PLAN, RULE_SENTENCE, script, startRealServer, type RealServer, REAL_SERVER_TEST } from './real-server.ts';

const session = usePanelSession();

/** Names the rule, so the edit is understood in any conversation (the Chat tab opens a new one). */
const editSentence = (ruleId: string) => `make rule ${ruleId} use 30 minutes between runs instead`;
const [doorAgent] = DOOR_LIGHT_PLAN.agents;
if (!doorAgent) throw new Error('the door plan has an agent');
const THIRTY_MINUTES = { ...DOOR_LIGHT_PLAN, agents: [{ ...doorAgent, spawn_config: { ...doorAgent.spawn_config, cooldown_seconds: 1800 } }] };

/** The real server's script, except that the planner answers the edit with a 30-minute cooldown. */
function respond(r: FakeRequest): FakeReply {
  const system = typeof r.body.system === 'string' ? r.body.system : JSON.stringify(r.body.system ?? '');
  const said = JSON.stringify(r.body.messages ?? []);
  if (system.includes('You design reactive rules') && said.includes('30 minutes')) return reply.text(JSON.stringify(THIRTY_MINUTES));
  return script(r);
}

async function ask(p: Page, text: string): Promise<void> {
  const box = p.locator('wz-chat-view textarea');
  await box.fill(text);
  await box.press('Enter');
}

async function traceCount(s: RealServer, ruleId: string): Promise<number> {
  const res = await fetch(`${s.url}/api/rules/${ruleId}/traces`);
  return ((await res.json()) as unknown[]).length;
}

describe('the Rules view against the real server', () => {
  it('shows a rule\'s evaluations live, opens a trace, and rolls back an edit', REAL_SERVER_TEST, async () => {
    const s = session.own(await startRealServer({ respond }));
    const home = s.runtime.haDemo;
    if (!home) throw new Error('the runtime did not start the demo home');
    const p = await session.open(`${s.url}/#/chat`);

    await ask(p, RULE_SENTENCE);
    const proposal = p.locator('wz-proposal-card [data-plan][data-status=pending]');
    await proposal.locator('[data-action=approve]').click();
    const link = p.locator('wz-proposal-card [data-status=approved] a[href="#/rules"]');
    const ruleId = await link.innerText();
    await link.click();

    const card = p.locator(`wz-rules-view [data-rule="${ruleId}"]`);
    // The door's current state, re-published when the rule started, was its first evaluation.
    const strip = card.locator('[data-field=timeline]');
    await strip.locator('[data-outcome=filtered]').waitFor();
    expect(await card.locator('[data-field=latest]').innerText()).toContain('new_state.state: "off", wanted "on"');
    expect(await card.locator('[data-field=running-version]').innerText()).toBe('v1 running · 1 kept');

    // The door opens: the rule acts, and the timeline shows it without a reload.
    home.setState('binary_sensor.front_door', 'on', { device_class: 'door', friendly_name: 'Front Door' });
    await strip.locator('[data-outcome=acted]').waitFor();
    expect(await card.locator('[data-field=latest]').innerText()).toContain('light.hallway');

    // The door closes: filtered out, no firing; its rule.trace brings it to the timeline without Refresh.
    home.setState('binary_sensor.front_door', 'off', { device_class: 'door', friendly_name: 'Front Door' });
    await strip.locator('[data-outcome=filtered]').nth(1).waitFor();
    expect(await traceCount(s, ruleId)).toBe(3);
    expect(await strip.locator('[role=option]').evaluateAll((els) => els.map((e) => e.getAttribute('data-outcome')))).toEqual(['filtered', 'acted', 'filtered']);

    await strip.locator('[data-outcome=acted]').click();
    const trace = card.locator('wz-rule-trace [data-outcome=acted]');
    expect(await trace.locator('[data-field=message]').innerText()).toBe('binary_sensor.front_door: "off" -> "on"');
    expect(await trace.locator('[data-step=filter]').innerText()).toContain('"on", wanted "on"');
    const action = trace.locator('[data-step=action]');
    expect(await action.getAttribute('data-ok')).toBe('true');
    expect(await action.innerText()).toContain('light.hallway');
    expect(await action.innerText()).toContain('HA answered ok');
    await screenshot(p, 'real-rules-trace');

    // 20 evaluations in a burst (the door sensor chattering while closed): the server sends at
    // most one rule.trace a second for the rule, and the timeline ends with all of them after a
    // few fetches, not one per evaluation.
    let fetches = 0;
    p.on('request', (req) => void (req.url().includes(`/api/rules/${ruleId}/traces`) && fetches++));
    const sent: string[] = [];
    const off = s.runtime.live.on(({ event }) => void (event.type === 'rule.trace' && event.rule_id === ruleId && sent.push(event.at)));
    for (let i = 0; i < 20; i++) home.setState('binary_sensor.front_door', 'off', { device_class: 'door', friendly_name: 'Front Door', chatter: i });
    await expect.poll(() => traceCount(s, ruleId), { timeout: 15_000 }).toBe(23);
    // The burst is over once the event carrying the newest evaluation has gone out (trailing).
    const newest = await (await fetch(`${s.url}/api/rules/${ruleId}/traces?limit=1`)).json() as { at: string }[];
    await expect.poll(() => sent.at(-1), { timeout: 5_000 }).toBe(newest[0]?.at);
    off();
    await strip.locator('[role=option]').nth(22).waitFor();
    expect(sent.length).toBeLessThanOrEqual(3);
    expect(fetches).toBeGreaterThanOrEqual(1);
    expect(fetches).toBeLessThanOrEqual(sent.length + 1);

    // An edit in plain words, approved in Chat, becomes version 2 with its diff.
    await p.locator('nav a[data-tab=chat]').click();
    await ask(p, editSentence(ruleId));
    const edit = p.locator('wz-proposal-card [data-status=pending]');
    await edit.locator('[data-field=diff] [data-diff-field=cooldown]').waitFor();
    expect(await edit.locator('[data-field=diff] [data-diff-field=cooldown] [data-side=after]').textContent()).toContain('1800 s (30 min)');
    await edit.locator('[data-action=approve]').click();
    await p.locator('wz-proposal-card [data-status=approved]').waitFor();

    await p.locator('nav a[data-tab=rules]').click();
    await card.locator('[data-field=running-version]', { hasText: 'v2 running' }).waitFor();
    await card.locator('[data-action=versions]').click();
    await card.locator('li[data-version="2"] [data-action=diff]').click();
    expect(await card.locator('li[data-version="2"] [data-diff-field=cooldown] [data-side=after]').textContent()).toContain('1800 s (30 min)');
    await screenshot(p, 'real-rules-versions');

    await card.locator('li[data-version="1"] [data-action=rollback]').click();
    await p.locator('wz-confirm [data-confirm]').click();
    await card.locator('[data-field=rollback-done]').waitFor();
    await card.locator('li[data-version="3"][data-current=true]').waitFor();
    expect(await card.locator('li[data-version="3"]').innerText()).toContain('rolled back');
    // The agent runs version 1's configuration again: no 30-minute cooldown.
    const config = new SqliteSpawnRegistry(s.runtime.db).get(doorAgent.name)?.config as Record<string, unknown> | undefined;
    expect(config).toBeDefined();
    expect(config?.cooldown_seconds).not.toBe(1800);
  });
});
