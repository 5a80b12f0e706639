// The panel in headless Chromium against the real server (startRuntime: embedded broker, SQLite,
// the demo home, the orchestrator and planner, a scripted fake LLM): a chat answer streamed over
// the WebSocket and rendered as Markdown; a rule asked for in plain words, proposed as a card,
// approved, listed under Rules, and acting on the demo home.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../../helpers/browser.ts';
import { usePanelSession } from '../../helpers/browser-session.ts';
import { ANSWER, ANSWER_CHUNKS, DOOR_LIGHT_PLAN, RULE_SENTENCE, startRealServer, REAL_SERVER_TEST } from './real-server.ts';

const session = usePanelSession();

async function ask(p: Page, text: string): Promise<void> {
  const box = p.locator('wz-chat-view textarea');
  await box.fill(text);
  await box.press('Enter');
}

interface LiveFrame {
  topic?: string;
  event?: { type?: string; event?: { type?: string; text?: string } };
}

describe('chat against the real server', () => {
  it('streams the answer through the WebSocket in several deltas and renders it as Markdown', REAL_SERVER_TEST, async () => {
    const server = session.own(await startRealServer());
    // Listen to the socket before the panel opens it.
    const p = await session.open('about:blank');
    const deltas: string[] = [];
    p.on('websocket', (ws) => {
      ws.on('framereceived', ({ payload }) => {
        const frame = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8')) as LiveFrame;
        if (frame.event?.type === 'chat' && frame.event.event?.type === 'delta') deltas.push(frame.event.event.text ?? '');
      });
    });
    await p.goto(`${server.url}/#/chat`);
    await ask(p, 'Give me a short status of the house');

    const answer = p.locator('wz-chat-view [data-role=assistant][data-streaming=false]').last();
    await answer.locator('li', { hasText: 'humidity' }).waitFor();
    expect(await answer.locator('strong').innerText()).toBe('hallway light');
    expect(await answer.locator('li').allInnerTexts()).toEqual(['living room: 21.5 °C', 'humidity: 45%']);
    expect(await answer.innerText()).toContain('is off and the front door is closed.');
    // The text came over the socket, one event per model delta, in order.
    expect(deltas.length).toBeGreaterThanOrEqual(ANSWER_CHUNKS.length);
    expect(deltas.join('')).toBe(ANSWER);
    expect(await p.locator('wz-chat-view [data-role=user]').allInnerTexts()).toEqual(['Give me a short status of the house']);
    await screenshot(p, 'real-chat');
  });

  it('a rule in plain words becomes a proposal card; Approve creates the rule, listed under Rules, and it acts on the home', REAL_SERVER_TEST, async () => {
    const server = session.own(await startRealServer());
    const { runtime } = server;
    const home = runtime.haDemo;
    if (!home) throw new Error('the runtime did not start the demo home');
    const p = await session.open(`${server.url}/#/chat`);
    await ask(p, RULE_SENTENCE);

    const card = p.locator('wz-proposal-card [data-plan][data-status=pending]');
    await card.waitFor();
    expect(await card.locator('h2').innerText()).toBe(DOOR_LIGHT_PLAN.title);
    expect(await card.innerText()).toContain('front-door-hall-light');
    expect(await card.innerText()).toContain('ha/state_changes/binary_sensor/binary_sensor.front_door');
    expect(await card.locator('[data-validation=ok]').innerText()).toContain('Validation passed');
    await screenshot(p, 'real-chat-proposal');

    await card.locator('[data-action=approve]').click();
    const approved = p.locator('wz-proposal-card [data-status=approved]');
    await approved.locator('a[href="#/rules"]').waitFor();
    const ruleId = await approved.locator('a[href="#/rules"]').innerText();
    expect(runtime.planner.plans.list().map((plan) => plan.status)).toEqual(['approved']);

    await approved.locator('a[href="#/rules"]').click();
    const rule = p.locator(`wz-rules-view [data-rule="${ruleId}"]`);
    await rule.locator('h2', { hasText: DOOR_LIGHT_PLAN.title }).waitFor();
    await rule.locator('.chip', { hasText: 'front-door-hall-light' }).waitFor();
    // The server's summary names the window itself; the panel shows it once, without a second label.
    expect(await rule.locator('[data-field=backtest]').innerText()).toMatch(/^Backtest \(last 7 days, over \d+ recorded changes? of the trigger\): would have fired \d+ times?/);
    await screenshot(p, 'real-rules');

    // The rule's agent reacts to the door the demo home reports opening.
    const before = home.serviceCalls().length;
    home.setState('binary_sensor.front_door', 'on', { device_class: 'door', friendly_name: 'Front Door' });
    await expect
      .poll(() => home.serviceCalls().slice(before).filter((c) => c.domain === 'light' && c.service === 'turn_on').flatMap((c) => c.entityIds), { timeout: 15_000 })
      .toEqual(['light.hallway']);
    expect(home.getState('light.hallway')?.state).toBe('on');
  });
});
