// The panel as a Home Assistant owner meets it (issue 17, items 5 and 6), in every look with a
// screenshot: Escape closes the confirm dialog, the phone's tab strip shows that it scrolls, the
// budget inputs keep a sensible width, chips wrap together, and a running agent that logs its
// own failures does not show a green dot.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../helpers/browser.ts';
import { usePanelSession } from '../helpers/browser-session.ts';
import { iso } from '../helpers/fake-data.ts';
import { LOOKS } from './looks.ts';

const session = usePanelSession();
let page: Page | undefined;

const p = () => page!;

async function tab(name: string): Promise<void> {
  const link = p().locator(`nav a[data-tab=${name}]`);
  await link.scrollIntoViewIfNeeded();
  await link.click();
}

describe('the panel', () => {
  for (const look of LOOKS) {
    it(`shows a complaining agent, closes dialogs on Escape and keeps forms and chips tidy (${look.name})`, async () => {
      const server = await session.startPanel();
      const energy = server.fake.state.agents.get('energy-tracker')!;
      const problem = { at: iso(-30_000), level: 'warn' as const, message: 'weather not updated: cannot resolve api.open-meteo.com' };
      server.fake.state.agents.set('energy-tracker', { ...energy, problem, recent_logs: [problem, ...energy.recent_logs] });
      page = await session.open(`${server.url}/#/agents`, look.options);

      // Item 6: running, no errors counted, but its newest log line is a warning.
      const card = p().locator('wz-agent-card [data-agent=energy-tracker]');
      await card.locator('[data-field=problem]').waitFor();
      expect(await card.getAttribute('data-problem')).toBe('warn');
      expect(await card.locator('[data-field=problem]').innerText()).toContain('cannot resolve api.open-meteo.com');
      const dot = async (name: string) => p().locator(`wz-agent-card [data-agent=${name}] .dot`).evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(await dot('energy-tracker')).not.toBe(await dot('main'));

      // Item 5: the chips of a card sit on one line, whatever the width.
      const tops = await p().locator('wz-agent-card [data-agent=main] .chip').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
      expect(tops).toHaveLength(2);
      expect(new Set(tops).size).toBe(1);
      await screenshot(p(), `agents-${look.name}`);

      // Item 5: the tab strip says when tabs are out of sight, and the current tab is in sight.
      const nav = p().locator('wactorz-panel nav');
      const phone = (look.options.viewport?.width ?? 0) < 600;
      expect(await nav.getAttribute('data-more')).toBe(phone ? 'end' : '');
      if (phone) {
        await p().locator('wactorz-panel .more.end').click();
        await p().waitForFunction(() => (document.querySelector('wactorz-panel')?.shadowRoot?.querySelector('nav')?.scrollLeft ?? 0) > 0);
        expect(await nav.getAttribute('data-more')).toContain('start');
      }

      // Item 5: Escape cancels the confirm dialog; nothing is deleted.
      await tab('memory');
      const fact = p().locator('wz-memory-view [data-key="user.phone"]');
      await fact.locator('[data-action=forget]').click();
      await p().locator('wz-confirm [data-confirm]').waitFor();
      await p().keyboard.press('Escape');
      await p().locator('wz-confirm [data-confirm]').waitFor({ state: 'detached' });
      expect(server.fake.state.memory.map((m) => m.key)).toContain('user.phone');

      // Item 5: the budget inputs are amount-sized, not card-wide.
      await tab('cost');
      await p().locator('wz-budget-card button', { hasText: 'Edit' }).click();
      const input = p().locator('wz-budget-card input').first();
      await input.waitFor();
      expect((await input.boundingBox())?.width).toBeLessThanOrEqual(200);
      const tabInView = await p().locator('nav a[data-tab=cost]').evaluate((a) => {
        const r = a.getBoundingClientRect();
        return r.left >= 0 && r.right <= window.innerWidth;
      });
      expect(tabInView).toBe(true);
      await screenshot(p(), `cost-${look.name}`);
    });
  }
});
