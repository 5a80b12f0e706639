// Chat in the real panel, in headless Chromium, against the real Fastify app with fake services:
// a streamed answer rendered as Markdown, inline device actions, a proposal approved into a rule,
// the conversation list, and model output that tries to inject HTML.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PHONE, screenshot } from '../helpers/browser.ts';
import { usePanelSession } from '../helpers/browser-session.ts';

const session = usePanelSession();
let page: Page;

async function ask(text: string): Promise<void> {
  const box = page.locator('wz-chat-view textarea');
  await box.fill(text);
  await box.press('Enter');
}

const lastAnswer = () => page.locator('wz-chat-view [data-role=assistant]').last();

describe('chat', () => {
  it('streams the answer over the WebSocket and renders it as Markdown', async () => {
    const server = await session.startPanel();
    page = await session.open(`${server.url}/#/chat`);
    server.fake.hold = true;
    await ask('How warm is the living room?');
    // The service is held after its first delta: what shows now can only have come over the socket.
    await page.locator('wz-chat-view [data-role=assistant][data-streaming=true]', { hasText: 'The' }).waitFor();
    expect(await lastAnswer().innerText()).not.toContain('21.5');
    await screenshot(page, 'chat-streaming');
    server.fake.release();
    await page.locator('wz-chat-view [data-role=assistant][data-streaming=false]').waitFor();
    expect(await lastAnswer().locator('strong').innerText()).toBe('living room');
    expect(await lastAnswer().locator('li').allInnerTexts()).toEqual(['humidity: 45%', 'window: closed']);
    expect(server.fake.state.calls.map((c) => [c.what, c.ctx.identity.via])).toEqual([['chat', 'local']]);
    await screenshot(page, 'chat');
  });

  it('shows a device action inline and keeps conversations in the list', async () => {
    const server = await session.startPanel();
    page = await session.open(`${server.url}/#/chat`);
    await ask('turn on the living room light');
    await page.locator('wz-chat-view [data-role=activity][data-kind=actuation]', { hasText: 'light.living_room' }).waitFor();
    await page.locator('wz-chat-view [data-role=assistant][data-streaming=false]').waitFor();
    await page.locator('wz-chat-view nav button', { hasText: 'turn on the living room light' }).waitFor();
    await page.locator('[data-action=new-conversation]').click();
    await page.locator('wz-chat-view .empty').waitFor();
    await page.locator('wz-chat-view nav button', { hasText: 'turn on the living room light' }).click();
    await page.locator('wz-chat-view [data-role=assistant]', { hasText: 'Done: the living room light is on.' }).waitFor();
    expect(await page.locator('wz-chat-view [data-role=user]').allInnerTexts()).toEqual(['turn on the living room light']);
  });

  it('keeps the open conversation when the person looks at another view and comes back', async () => {
    const server = await session.startPanel();
    page = await session.open(`${server.url}/#/chat`);
    await ask('turn on the living room light');
    await page.locator('wz-chat-view [data-role=assistant][data-streaming=false]').waitFor();
    await page.goto(`${server.url}/#/rules`);
    await page.locator('wz-chat-view').waitFor({ state: 'detached' });
    await page.goto(`${server.url}/#/chat`);
    await page.locator('wz-chat-view [data-role=assistant]', { hasText: 'Done: the living room light is on.' }).waitFor();
    expect(await page.locator('wz-chat-view [data-role=user]').allInnerTexts()).toEqual(['turn on the living room light']);
    // The next message continues that conversation rather than starting one.
    await ask('and the kitchen?');
    await page.locator('wz-chat-view [data-role=assistant][data-streaming=false]').nth(1).waitFor();
    expect(await page.locator('wz-chat-view [data-role=user]').allInnerTexts()).toEqual(['turn on the living room light', 'and the kitchen?']);
    expect([...server.fake.state.conversations.keys()]).toHaveLength(1);
  });

  it('approving a proposal card creates the rule, which then appears under Rules', async () => {
    const server = await session.startPanel();
    page = await session.open(`${server.url}/#/chat`);
    await ask('notify me on my phone when the front door opens');
    const card = page.locator('wz-proposal-card [data-plan][data-status=pending]');
    await card.waitFor();
    expect(await card.innerText()).toContain('front-door-notifier');
    expect(await card.locator('[data-validation=ok]').innerText()).toContain('Validation passed');
    await screenshot(page, 'chat-proposal');
    await card.locator('[data-action=approve]').click();
    await page.locator('wz-proposal-card [data-status=approved]', { hasText: 'rule-2' }).waitFor();
    expect(server.fake.state.calls.map((c) => c.what)).toContain('plan.approve');
    await page.locator('wz-proposal-card a[href="#/rules"]').click();
    await page.locator('wz-rules-view [data-rule=rule-2]', { hasText: 'Front door notification' }).waitFor();
    expect(await page.locator('wz-rules-view [data-rule=rule-2] [data-field=backtest]').innerText()).toContain('Would have fired 3 times');
  });

  it('shows HTML from the model as text, never as markup', async () => {
    const server = await session.startPanel();
    page = await session.open(`${server.url}/#/chat`, PHONE);
    await ask('echo: <img src=x onerror="window.__pwned=1"> and [click](javascript:window.__pwned=2) **safe**');
    await page.locator('wz-chat-view [data-role=assistant][data-streaming=false]').waitFor();
    const answer = lastAnswer();
    expect(await answer.innerText()).toContain('<img src=x onerror="window.__pwned=1">');
    expect(await answer.locator('img').count()).toBe(0);
    expect(await answer.locator('a').count()).toBe(0);
    expect(await answer.locator('strong').innerText()).toBe('safe');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await screenshot(page, 'chat-phone');
  });
});
