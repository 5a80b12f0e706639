// Every view of the panel rendered in headless Chromium (desktop, the mobile app's width, and the
// dark colour scheme), with what each must show; a screenshot of each for review.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, screenshot } from '../helpers/browser.ts';
import { usePanelSession } from '../helpers/browser-session.ts';

const session = usePanelSession();
let page: Page;

async function tab(name: string): Promise<void> {
  await page.locator(`nav a[data-tab=${name}]`).click();
}

/** Relative luminance 0..1 of a computed `rgb(...)` colour. */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+/g) ?? []).map(Number);
  return (0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0)) / 255;
}

describe('views', () => {
  it('rules, cost, topics, nodes, memory and health show their data', async () => {
    const server = await session.startPanel();
    page = await session.open(`${server.url}/#/rules`, DESKTOP);

    const rule = page.locator('wz-rules-view [data-rule=rule-1]');
    await rule.waitFor();
    expect(await rule.innerText()).toContain('Would have fired 7 times');
    await screenshot(page, 'rules');
    await rule.locator('[data-action=disable]').click();
    await page.locator('wz-rules-view [data-rule=rule-1][data-status=disabled]').waitFor();

    await tab('cost');
    await page.locator('wz-cost-view [data-field=total]').waitFor();
    // ECharts draws each series as one line, in the theme's colours (first the primary colour).
    for (const chart of ['Spend per provider', 'Spend per agent']) {
      const lines = page.locator(`wz-line-chart .chart[data-chart="${chart}"][data-rendered=true] svg g[clip-path] path[stroke-width="2"]`);
      await lines.first().waitFor();
      expect(await lines.evaluateAll((ps) => ps.map((p) => p.getAttribute('stroke')))).toEqual(['#03a9f4', '#ff9800']);
    }
    expect(await page.locator('wz-budget-card [data-limit=day]').innerText()).toContain('$0.40 / $1.00');
    await screenshot(page, 'cost');

    await tab('topics');
    const graph = page.locator('wz-wiring-graph svg[data-graph=wiring]');
    await graph.waitFor();
    // camera-counter -> door -> main, front-door-notifier; energy-tracker -> energy -> main.
    expect(await graph.locator('path.edge').count()).toBe(5);
    expect(await page.locator('wz-topics-view [data-topic]').count()).toBe(2);
    await screenshot(page, 'topics');

    await tab('nodes');
    await page.locator('wz-nodes-view [data-node=pi-garden][data-online=false]').waitFor();
    expect(await page.locator('wz-nodes-view [data-node=local]').innerText()).toContain('energy-tracker');
    // The runner's supervision: none here, so the label warns it will not come back after a reboot.
    const supervision = page.locator('wz-nodes-view [data-node=pi-garden] [data-field=supervision]');
    expect(await supervision.innerText()).toBe('not supervised');
    expect(await supervision.getAttribute('title')).toContain('Will not come back after a reboot: see DOCS');
    expect(await page.locator('wz-nodes-view [data-node=local] [data-field=supervision]').count()).toBe(0);
    await screenshot(page, 'nodes');

    await tab('memory');
    const fact = page.locator('wz-memory-view [data-key="user.phone"]');
    await fact.waitFor();
    expect(await fact.innerText()).toContain('from chat');
    await screenshot(page, 'memory');
    await fact.locator('[data-action=forget]').click();
    await page.locator('wz-confirm [data-confirm]').click();
    await fact.waitFor({ state: 'detached' });
    expect(server.fake.state.memory.map((m) => m.key)).toEqual(['home.bedtime']);

    await tab('health');
    await page.locator('wactorz-health-card [data-status=ok]').waitFor();
    await screenshot(page, 'health');
  });

  it('fits the mobile app width: tabs scroll, the page does not', async () => {
    const server = await session.startPanel();
    page = await session.open(`${server.url}/#/agents`, PHONE);
    await page.locator('wz-agent-card [data-agent=main]').waitFor();
    const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
    expect(widths.doc).toBeLessThanOrEqual(widths.view);
    await page.locator('nav a[data-tab=health]').click();
    await page.locator('wactorz-health-card [data-status=ok]').waitFor();
    await screenshot(page, 'phone-health');
    await page.locator('nav a[data-tab=cost]').click();
    await page.locator('wz-cost-view [data-field=total]').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, 'phone-cost');
  });

  it('renders dark when the system prefers dark', async () => {
    const server = await session.startPanel();
    page = await session.open(`${server.url}/#/agents`, { ...DESKTOP, colorScheme: 'dark' });
    const agent = page.locator('wz-agent-card [data-agent=main]');
    await agent.waitFor();
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const cardBg = await agent.evaluate((el) => getComputedStyle(el).backgroundColor);
    const text = await agent.evaluate((el) => getComputedStyle(el).color);
    expect(luminance(bg)).toBeLessThan(0.15);
    expect(luminance(cardBg)).toBeLessThan(0.2);
    expect(luminance(text)).toBeGreaterThan(0.7);
    await screenshot(page, 'agents-dark');
    await tab('chat');
    await page.locator('wz-chat-view textarea').fill('notify me when the door opens');
    await page.locator('wz-chat-view textarea').press('Enter');
    await page.locator('wz-proposal-card [data-status=pending]').waitFor();
    await screenshot(page, 'chat-dark');
  });
});
