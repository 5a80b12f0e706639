// The Agents view in headless Chromium against the real app: stale heartbeats, lifecycle
// commands behind a confirmation, live state changes and logs, and recovery after the server
// restarts (the panel reconnects and refetches).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../helpers/browser.ts';
import { usePanelSession } from '../helpers/browser-session.ts';

const session = usePanelSession();
let page: Page;

const card = (name: string) => page.locator(`wz-agent-card [data-agent="${name}"]`);

async function confirm(): Promise<void> {
  await page.locator('wz-confirm [data-confirm]').click();
}

describe('agents', () => {
  it('shows every agent with state, node, cost and errors, and marks a stale heartbeat red', async () => {
    const server = await session.startPanel();
    page = await session.open(`${server.url}/#/agents`);
    await card('camera-counter').waitFor();
    expect(await page.locator('wz-agent-card [data-agent]').count()).toBe(4);
    expect(await card('main').locator('[data-field=heartbeat]').getAttribute('data-stale')).toBe('false');
    expect(await card('garden-watcher').locator('[data-field=heartbeat]').getAttribute('data-stale')).toBe('true');
    // A protected system agent offers no stop, pause or delete (the server would refuse them).
    expect(await card('main').locator('[data-field=protected]').count()).toBe(1);
    expect(await card('main').locator('[data-action=stop], [data-action=pause], [data-action=delete]').count()).toBe(0);
    expect(await card('energy-tracker').locator('[data-action=stop]').count()).toBe(1);
    const staleColor = await card('garden-watcher').locator('[data-field=heartbeat]').evaluate((el) => getComputedStyle(el).color);
    expect(staleColor).toBe('rgb(219, 68, 55)');
    expect(await card('garden-watcher').innerText()).toContain('pi-garden');
    expect(await card('camera-counter').getAttribute('data-state')).toBe('failed');
    await screenshot(page, 'agents');
  });

  it('stops an agent only after confirmation, and its card shows the new state', async () => {
    const server = await session.startPanel();
    page = await session.open(`${server.url}/#/agents`);
    await card('energy-tracker').locator('[data-action=stop]').click();
    await page.locator('wz-confirm [role=alertdialog]').waitFor();
    await screenshot(page, 'agents-confirm');
    await page.locator('wz-confirm button', { hasText: 'Cancel' }).click();
    expect(server.fake.state.agents.get('energy-tracker')?.state).toBe('running');
    await card('energy-tracker').locator('[data-action=stop]').click();
    await confirm();
    await page.locator('wz-agent-card [data-agent="energy-tracker"][data-state=stopped]').waitFor();
    expect(server.fake.state.agents.get('energy-tracker')?.state).toBe('stopped');
  });

  it('follows live state changes and logs, and deletes an agent', async () => {
    const server = await session.startPanel();
    page = await session.open(`${server.url}/#/agents`);
    await card('main').waitFor();
    server.hub.publish({ type: 'agent.state', agent: 'main', state: 'paused' });
    await page.locator('wz-agent-card [data-agent="main"][data-state=paused]').waitFor();
    await card('energy-tracker').locator('[data-action=logs]').click();
    const logs = card('energy-tracker').locator('[data-logs]');
    // The history is fetched once the live subscription stands, so this line means it does.
    await logs.getByText('hourly total 0.42 kWh').waitFor();
    server.hub.publish({ type: 'agent.log', agent: 'energy-tracker', level: 'warn', message: 'meter offline', at: new Date().toISOString() });
    await logs.getByText('meter offline').waitFor();
    await screenshot(page, 'agents-logs');
    await card('garden-watcher').locator('[data-action=delete]').click();
    await confirm();
    await card('garden-watcher').waitFor({ state: 'detached' });
    expect(server.fake.state.agents.has('garden-watcher')).toBe(false);
  });

  it('reconnects after a server restart and refetches what changed meanwhile', async () => {
    let server = await session.startPanel();
    const port = Number(new URL(server.url).port);
    page = await session.open(`${server.url}/#/agents`);
    await page.locator('wz-agent-card [data-agent="energy-tracker"][data-state=running]').waitFor();
    await session.close(server);
    await page.locator('[data-live=reconnecting]').waitFor();
    server = await session.startPanel({ port });
    const agent = server.fake.state.agents.get('energy-tracker');
    if (agent) agent.state = 'paused';
    // Reconnection runs on the panel's real backoff timers: on a loaded 2-core machine it can take
    // several rounds, so these limits only turn a hang into a failure.
    await page.locator('wz-agent-card [data-agent="energy-tracker"][data-state=paused]').waitFor({ timeout: 30_000 });
    await page.locator('[data-live=reconnecting]').waitFor({ state: 'detached', timeout: 30_000 });
  }, 60_000);
});
