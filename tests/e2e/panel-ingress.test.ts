// The panel behind an ingress-like proxy: served under /api/hassio_ingress/<token>/ with the
// prefix stripped, the HA user in X-Remote-User-* headers, WebSockets proxied. The app trusts
// only the proxy's address (as the add-on trusts only the Supervisor), so the browser cannot
// reach it directly. Also: HA's theme reaches the panel inside HA's iframe.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../helpers/browser.ts';
import { usePanelSession } from '../helpers/browser-session.ts';
import { INGRESS_PATH, INGRESS_USER, startIngressProxy, type IngressProxy } from '../helpers/ingress-proxy.ts';
import type { PanelServer } from '../helpers/panel-server.ts';

const PROXY_ADDRESS = '127.0.0.3';
const session = usePanelSession();
let server: PanelServer;
let proxy: IngressProxy;
let page: Page;

async function start(): Promise<void> {
  server = await session.startPanel({ access: { inAddon: true, ingressAddresses: [PROXY_ADDRESS] } });
  proxy = session.own(await startIngressProxy(server.url, PROXY_ADDRESS));
}

describe('under the ingress prefix', () => {
  it('serves the panel only through the proxy, streams chat over the proxied WebSocket, and acts as the HA user', async () => {
    await start();
    const direct = await fetch(`${server.url}/`);
    expect(direct.status).toBe(403);
    expect(await direct.json()).toMatchObject({ error: { code: 'direct_access_disabled' } });

    page = await session.open(`${proxy.panelUrl}#/chat`);
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    server.fake.hold = true;
    const box = page.locator('wz-chat-view textarea');
    await box.fill('How warm is the living room?');
    await box.press('Enter');
    await page.locator('wz-chat-view [data-role=assistant][data-streaming=true]', { hasText: 'The' }).waitFor();
    server.fake.release();
    await page.locator('wz-chat-view [data-role=assistant][data-streaming=false]', { hasText: '21.5' }).waitFor();
    expect(server.fake.state.calls[0]?.ctx.identity).toEqual({ userId: INGRESS_USER.id, userName: INGRESS_USER.name, displayName: INGRESS_USER.displayName, via: 'ingress' });
    // Relative URLs only: nothing the panel asked for escaped the ingress prefix.
    expect(requested.length).toBeGreaterThan(0);
    for (const url of requested) expect(url.startsWith(`${proxy.url}${INGRESS_PATH}/`)).toBe(true);
    await screenshot(page, 'ingress-chat');
  });

  it('stops an agent through the proxy', async () => {
    await start();
    page = await session.open(`${proxy.panelUrl}#/agents`);
    await page.locator('wz-agent-card [data-agent="energy-tracker"] [data-action=stop]').click();
    await page.locator('wz-confirm [data-confirm]').click();
    await page.locator('wz-agent-card [data-agent="energy-tracker"][data-state=stopped]').waitFor();
    expect(server.fake.state.calls.at(-1)).toMatchObject({ what: 'agent.stop', ctx: { identity: { userId: INGRESS_USER.id } } });
  });

  it('takes its colours from the Home Assistant theme of the page that embeds it', async () => {
    await start();
    const theme = { '--primary-background-color': 'rgb(18, 20, 40)', '--card-background-color': 'rgb(30, 33, 60)', '--primary-text-color': 'rgb(230, 230, 240)', '--app-header-background-color': 'rgb(90, 20, 120)' };
    page = await session.open(proxy.haPageUrl(theme, true));
    const frame = page.frameLocator('#panel');
    await frame.locator('nav a[data-tab=nodes]').click();
    const node = frame.locator('wz-nodes-view [data-node=local]');
    await node.waitFor();
    expect(await node.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(30, 33, 60)');
    expect(await node.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(230, 230, 240)');
    expect(await frame.locator('header').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(90, 20, 120)');
    await screenshot(page, 'ingress-ha-theme');
  });
});
