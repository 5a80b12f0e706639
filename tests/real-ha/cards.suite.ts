// The dashboard cards (cards/, shipped in the companion integration) in Home Assistant's own
// frontend, in headless Chromium: the real HA of the test loop serves its dashboard, which loads
// the integration's module by itself, and hands the cards its real `hass` object (its WebSocket,
// states, entity registry, the signed-in user). The product process runs behind the integration
// (set up through HA's config flow, as in companion.suite.ts) with a scripted model. Through the
// cards alone, as a person on a dashboard:
//   - the chat card shows the question, a typing state while Wactorz works, then the answer;
//   - a rule asked for and approved ("yes") in the chat card appears in the rules card, live;
//   - switching it off there disables the rule in the product (GET /api/rules);
//   - with the product stopped, the chat card says so in words and the rule's switch is disabled.
// The dashboard and the entry are removed at the end.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CLASSIFIER_SYSTEM } from '../../server/src/agents/main/routing/classifier.ts';
import { FACTS_SYSTEM } from '../../server/src/agents/main/memory/facts-extractor.ts';
import type { Connection } from '../../scripts/real-ha/instance.ts';
import { openHaSocket, type HaSocket } from '../../scripts/real-ha/ws-session.ts';
import { DESKTOP, launchBrowser, PHONE, screenshot } from '../helpers/browser.ts';
import { reply, startFakeLlm, type FakeLlmServer, type FakeRequest } from '../helpers/fake-llm/index.ts';
import type { HaTarget } from '../helpers/ha-target.ts';
import { stopServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { makeTempDir } from '../helpers/tmp.ts';
import { flowStep, json, startFlow } from './ha-rest.ts';
import { until } from './poll.ts';
import { startProduct } from './product-env.ts';

const API_KEY = 'cards-suite-api-key-0123456789abc';
const DASHBOARD = 'wactorz-cards-test';
/** Entities no other suite uses: the rule never fires here, it is only listed and switched. */
const WET = 'binary_sensor.basement_floor_wet';
const LIGHT = 'light.entrance_color_white_lights';
const QUIET = 'All quiet: the doors are closed and nobody is home.';

const RULE_PLAN = {
  pattern: 'ha_sensor_action',
  title: 'Entrance lights on a wet basement',
  summary: 'Turns on the entrance lights when the basement floor gets wet.',
  agents: [{
    name: 'entrance-lights-on-water',
    description: `Turns on ${LIGHT} when ${WET} turns on`,
    spawn_config: { type: 'ha_actuator', mqtt_topics: [`ha/state_changes/binary_sensor/${WET}`], detection_filter: { 'new_state.state': 'on' }, cooldown_seconds: 0, actions: [{ domain: 'light', service: 'turn_on', entity_id: LIGHT }] },
  }],
};

/** The model; the plain answer waits for `release` so the test can see the typing state. */
function script(release: Promise<void>) {
  return async (r: FakeRequest) => {
    const system = typeof r.body.system === 'string' ? r.body.system : JSON.stringify(r.body.system ?? '');
    const said = JSON.stringify(r.body.messages ?? []);
    if (system.includes(CLASSIFIER_SYSTEM.slice(0, 60))) return reply.text(said.includes('basement gets wet') ? 'PIPELINE' : 'OTHER');
    if (system.includes('You design reactive rules')) return reply.text(JSON.stringify(RULE_PLAN));
    if (system.includes(FACTS_SYSTEM.slice(0, 60))) return reply.text('{"facts":[]}');
    await release;
    return reply.text(QUIET);
  };
}

/** HA's frontend signed in with the test token, as its own login would leave it. */
async function signIn(page: Page, c: Connection): Promise<void> {
  await page.addInitScript(({ url, token }) => {
    localStorage.setItem('hassTokens', JSON.stringify({ hassUrl: url, clientId: `${url}/`, access_token: token, token_type: 'Bearer', expires_in: 315_360_000, expires: Date.now() + 315_360_000_000, refresh_token: '' }));
  }, { url: c.url, token: c.token });
}

async function send(page: Page, text: string): Promise<void> {
  await page.locator('wactorz-chat-card input[name="message"]').fill(text);
  await page.locator('wactorz-chat-card input[name="message"]').press('Enter');
}

/** The texts of the chat card's bubbles, as a person reads them. */
function bubbles(page: Page): Promise<string[]> {
  return page.locator('wactorz-chat-card .bubble:not(.typing)').allInnerTexts();
}

export function realHaCards(target: () => HaTarget, connection: () => Connection): void {
  describe('the dashboard cards in the real HA frontend', { timeout: 300_000 }, () => {
    it('chat card: a typing state, the answer, a rule asked for and approved; rules card: listed live, switched off in the product; both say when Wactorz is gone', async () => {
      const t = target();
      const c = connection();
      const dir = makeTempDir('wactorz-real-ha-cards-');
      let fake: FakeLlmServer | undefined;
      let server: ServerProcess | undefined;
      let socket: HaSocket | undefined;
      let entryId: string | undefined;
      let dashboardId: string | undefined;
      const browser = await launchBrowser();
      let page: Page | undefined;
      let releaseAnswer = () => {};
      const answerHeld = new Promise<void>((resolve) => { releaseAnswer = resolve; });
      try {
        fake = await startFakeLlm({ respond: script(answerHeld) });
        server = await startProduct(c, dir.path, fake, API_KEY);
        const product = server;
        const rulesOfProduct = async () => json<{ id: string; name: string; status: string; enabled: boolean }[]>(await fetch(`${product.baseUrl}/api/rules`, { headers: { authorization: `Bearer ${API_KEY}` } }), 'GET /api/rules');

        const form = await startFlow(t, 'wactorz');
        const created = await flowStep(t, form, { url: server.baseUrl, api_key: API_KEY }, 'the user step');
        expect(created, JSON.stringify(created)).toMatchObject({ type: 'create_entry' });
        entryId = typeof created.result === 'object' ? created.result.entry_id : undefined;

        // A dashboard with both cards, as a person would add them from the card picker.
        socket = await openHaSocket(c.url, c.token);
        const dashboard = await socket.command<{ id: string }>({ type: 'lovelace/dashboards/create', url_path: DASHBOARD, title: 'Wactorz cards', show_in_sidebar: false, require_admin: false });
        dashboardId = dashboard.id;
        await socket.command({
          type: 'lovelace/config/save',
          url_path: DASHBOARD,
          config: { views: [{ title: 'Wactorz', path: 'wactorz', cards: [{ type: 'custom:wactorz-chat-card', title: 'Ask Wactorz' }, { type: 'custom:wactorz-rules-card' }] }] },
        });

        const context = await browser.newContext(DESKTOP);
        page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (err) => errors.push(err.message));
        await signIn(page, c);
        await page.goto(`${c.url}/${DASHBOARD}/wactorz`);
        const input = page.locator('wactorz-chat-card input[name="message"]');
        await input.waitFor({ timeout: 60_000 });
        // HA's card picker lists both (window.customCards), with the names a person searches for.
        expect(await page.evaluate(() => window.customCards?.map((card) => card.type))).toEqual(['wactorz-chat-card', 'wactorz-rules-card']);
        await page.locator('wactorz-rules-card', { hasText: 'No rules yet' }).waitFor();

        // A question: the typing state while Wactorz works, then its answer under the question.
        await send(page, 'how is the house?');
        await page.locator('wactorz-chat-card .typing').waitFor();
        expect(await bubbles(page)).toEqual(['how is the house?']);
        releaseAnswer();
        await page.locator('wactorz-chat-card .bubble.agent', { hasText: QUIET }).waitFor({ timeout: t.patienceMs });
        await page.locator('wactorz-chat-card .typing').waitFor({ state: 'detached' });
        expect(await bubbles(page)).toEqual(['how is the house?', QUIET]);

        // A rule, proposed and approved in the same conversation (the card keeps its id).
        await send(page, `when the basement gets wet, turn on the entrance lights`);
        await page.locator('wactorz-chat-card .bubble.agent', { hasText: 'Reply "yes" to approve' }).waitFor({ timeout: t.patienceMs });
        await send(page, 'yes');
        await page.locator('wactorz-chat-card .bubble.agent', { hasText: /Rule [0-9a-f]{8} is running/ }).waitFor({ timeout: t.patienceMs });
        const rule = (await rulesOfProduct()).find((r) => r.name === RULE_PLAN.title);
        expect(rule).toMatchObject({ status: 'active', enabled: true });

        // The rules card lists it without a reload: the integration's switch reached `hass`.
        await page.locator(`wactorz-rules-card li[data-rule="${rule!.id}"]`).waitFor({ timeout: t.patienceMs });
        // Found by its name, as a person would (the id goes with the attributes when unavailable).
        const row = page.locator('wactorz-rules-card li', { hasText: RULE_PLAN.title });
        expect(await row.locator('.chip').innerText()).toBe('Active');
        const toggle = row.locator('input[role="switch"]');
        expect(await toggle.isChecked()).toBe(true);
        await screenshot(page, 'cards-real-ha-1280');

        // Switched off on the dashboard: disabled in the product, and the card says so.
        await toggle.click();
        await until(rulesOfProduct, (rules) => rules.some((r) => r.id === rule!.id && !r.enabled && r.status === 'disabled'), 'the rule disabled in the product', t.patienceMs);
        await row.locator('.chip', { hasText: 'Off' }).waitFor({ timeout: t.patienceMs });
        expect(await toggle.isChecked()).toBe(false);
        expect(errors).toEqual([]);

        // At phone width, in HA's dark theme (it follows the system's), the cards stack and keep the theme.
        const phone = await browser.newContext({ ...PHONE, colorScheme: 'dark' });
        const small = await phone.newPage();
        await signIn(small, c);
        await small.goto(`${c.url}/${DASHBOARD}/wactorz`);
        await small.locator('wactorz-rules-card li', { hasText: RULE_PLAN.title }).locator('.chip', { hasText: 'Off' }).waitFor({ timeout: 60_000 });
        await screenshot(small, 'cards-real-ha-390-dark');
        await phone.close();

        // Wactorz gone: the answer says so in words, and the rule cannot be switched.
        await stopServerProcess(server);
        server = undefined;
        await send(page, 'are you there?');
        await page.locator('wactorz-chat-card .bubble.agent.error', { hasText: 'Wactorz is not reachable right now' }).waitFor({ timeout: t.patienceMs });
        await row.locator('.chip', { hasText: 'Unavailable' }).waitFor({ timeout: t.patienceMs });
        expect(await toggle.isDisabled()).toBe(true);
        expect(await row.innerText()).not.toContain('not fired yet');
        await screenshot(page, 'cards-real-ha-unreachable-1280');
        await context.close();
      } catch (err) {
        // What the dashboard showed when it went wrong, for a run nobody watched.
        if (page) await screenshot(page, 'cards-real-ha-failed').catch(() => undefined);
        throw err;
      } finally {
        releaseAnswer();
        await browser.close();
        if (dashboardId) await socket?.command({ type: 'lovelace/dashboards/delete', dashboard_id: dashboardId }).catch(() => undefined);
        if (entryId) await t.api(`config/config_entries/entry/${entryId}`, { method: 'DELETE' }).catch(() => undefined);
        socket?.close();
        await stopServerProcess(server);
        await fake?.close();
        dir.cleanup();
      }
    });
  });
}
