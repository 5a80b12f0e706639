// The real server behind an ingress-like proxy: the panel served under
// /api/hassio_ingress/<token>/ with the prefix stripped, the WebSocket proxied, the HA user in
// X-Remote-User-* headers. The app trusts only the proxy's address as the Supervisor and runs as
// in the add-on, so the browser cannot reach it directly. Every view is opened and screenshotted.
import { describe, expect, it } from 'vitest';
import { screenshot } from '../../helpers/browser.ts';
import { usePanelSession } from '../../helpers/browser-session.ts';
import { INGRESS_PATH, startIngressProxy } from '../../helpers/ingress-proxy.ts';
import { startRealServer } from './real-server.ts';

const PROXY_ADDRESS = '127.0.0.3';
const session = usePanelSession();

/** What each view shows once its data from the real server is in. */
const VIEWS: readonly [tab: string, ready: string][] = [
  ['chat', 'wz-chat-view textarea'],
  ['agents', 'wz-agent-card [data-agent="main"][data-state=running]'],
  ['rules', 'wz-rules-view'],
  ['cost', 'wz-cost-view'],
  ['topics', 'wz-topics-view'],
  ['nodes', 'wz-nodes-view [data-node]'],
  ['memory', 'wz-memory-view'],
  ['health', 'wactorz-health-card [data-field=ha]'],
];

describe('the real server under the ingress prefix', () => {
  it('serves the panel only through the proxy, with health showing the demo home, and every view loads', async () => {
    const server = session.own(await startRealServer({ access: { inAddon: true, ingressAddresses: [PROXY_ADDRESS] } }));
    const proxy = session.own(await startIngressProxy(server.url, PROXY_ADDRESS));

    const direct = await fetch(`${server.url}/`);
    expect(direct.status).toBe(403);
    expect(await direct.json()).toMatchObject({ error: { code: 'direct_access_disabled' } });

    const p = await session.open('about:blank');
    const requested: string[] = [];
    p.on('request', (r) => requested.push(r.url()));
    await p.goto(`${proxy.panelUrl}#/health`);
    // The demo home answers the real HA client, so health settles on connected.
    const ha = p.locator('wactorz-health-card [data-field=ha]', { hasText: 'Connected (demo home)' });
    await ha.waitFor();
    await p.locator('wactorz-health-card [data-status=ok]').waitFor();

    for (const [tab, ready] of VIEWS) {
      await p.locator(`nav a[data-tab=${tab}]`).click();
      await p.locator(ready).first().waitFor();
      // The agents come from the real actor system, through the prefix: main and monitor at least.
      if (tab === 'agents') await p.locator('wz-agent-card [data-agent="monitor"]').waitFor();
      await screenshot(p, `real-ingress-${tab}`);
    }

    // Relative URLs only: nothing the panel asked for escaped the ingress prefix.
    expect(requested.length).toBeGreaterThan(0);
    for (const url of requested) expect(url.startsWith(`${proxy.url}${INGRESS_PATH}/`)).toBe(true);
  });
});
