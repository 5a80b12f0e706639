// The library swaps and HA's look (issue 17, beyond the fixes), in every look with screenshots:
// chat answers rendered from marked's tokens (a table, code, a link that opens safely) with
// hostile HTML left as text, activity shown as chips with an MDI icon, the cost chart drawn by
// ECharts in the theme's colours and following its box, and the view tabs with icon and label.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../helpers/browser.ts';
import { usePanelSession } from '../helpers/browser-session.ts';
import { LOOKS } from './looks.ts';

const session = usePanelSession();
let page: Page | undefined;

const p = () => page!;

async function ask(text: string): Promise<void> {
  const before = await p().locator('wz-chat-view [data-role=assistant][data-streaming=false]').count();
  const box = p().locator('wz-chat-view textarea');
  await box.fill(text);
  await box.press('Enter');
  await p().locator('wz-chat-view [data-role=assistant][data-streaming=false]').nth(before).waitFor();
}

/** Relative luminance 0..1 of a CSS colour as the browser computes it (#rrggbb or rgb()). */
function luminance(colour: string): number {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(colour);
  const [r, g, b] = hex ? hex.slice(1).map((h) => parseInt(h, 16)) : (colour.match(/\d+/g) ?? []).map(Number);
  return (0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0)) / 255;
}

const ANSWER = [
  'echo: ## Lights',
  '| Room | State |',
  '|---|---|',
  '| Kitchen | **on** |',
  '',
  '```yaml',
  'entity_id: light.kitchen',
  '```',
  'See [the docs](https://www.home-assistant.io/docs/) or [this](javascript:window.__pwned=1).',
  '<script>window.__pwned=2</script> <img src=x onerror="window.__pwned=3">',
].join('\n');

describe('the panel in HA\'s look', () => {
  for (const look of LOOKS) {
    it(`renders chat Markdown safely, activity chips with icons, and an ECharts cost chart in the theme (${look.name})`, async () => {
      const server = await session.startPanel();
      page = await session.open(`${server.url}/#/chat`, look.options);
      const dark = look.options.colorScheme === 'dark';
      const phone = (look.options.viewport?.width ?? 0) < 600;

      // Every tab has its icon beside a visible label.
      const tabs = p().locator('wactorz-panel nav a');
      expect(await tabs.count()).toBe(8);
      expect(await p().locator('wactorz-panel nav a wz-icon').count()).toBe(8);
      expect(await p().locator('wactorz-panel nav a[data-tab=chat]').innerText()).toBe('Chat');

      await ask(ANSWER);
      const answer = p().locator('wz-chat-view [data-role=assistant]').last();
      expect(await answer.locator('[role=heading]').innerText()).toBe('Lights');
      expect(await answer.locator('table.md-table th').allInnerTexts()).toEqual(['Room', 'State']);
      expect(await answer.locator('table.md-table td strong').innerText()).toBe('on');
      expect(await answer.locator('pre code[data-lang=yaml]').innerText()).toBe('entity_id: light.kitchen');
      const link = answer.locator('a');
      expect(await link.count()).toBe(1);
      expect(await link.getAttribute('href')).toBe('https://www.home-assistant.io/docs/');
      expect(await link.getAttribute('target')).toBe('_blank');
      expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
      expect(await answer.innerText()).toContain('[this](javascript:window.__pwned=1)');
      expect(await answer.innerText()).toContain('<script>window.__pwned=2</script>');
      expect(await answer.locator('script, img').count()).toBe(0);
      expect(await p().evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      // A wide table scrolls inside the bubble; the page never scrolls sideways.
      expect(await p().evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

      // A device action: a chip with the light bulb icon, then the answer.
      await ask('turn on the living room light');
      const chip = p().locator('wz-chat-view [data-role=activity][data-kind=actuation]');
      expect(await chip.innerText()).toContain('light.living_room');
      expect(await chip.locator('wz-icon').count()).toBe(1);
      await screenshot(p(), `look-chat-${look.name}`);

      // The cost chart: ECharts' SVG, one line per provider in the theme's colours, axis labels
      // in the theme's text colour (light on dark), a summary for screen readers.
      await p().locator('wactorz-panel nav a[data-tab=cost]').click();
      const chart = p().locator('wz-line-chart .chart[data-chart="Spend per provider"]');
      const lines = chart.locator('svg g[clip-path] path[stroke-width="2"]');
      await lines.first().waitFor();
      expect(await lines.evaluateAll((ps) => ps.map((el) => el.getAttribute('stroke')))).toEqual(['#03a9f4', '#ff9800']);
      const label = await chart.locator('svg text').first().getAttribute('fill');
      if (dark) expect(luminance(label ?? '')).toBeGreaterThan(0.5);
      else expect(luminance(label ?? '')).toBeLessThan(0.5);
      expect(await chart.getAttribute('role')).toBe('img');
      expect(await chart.getAttribute('aria-label')).toMatch(/^Spend per provider, .*anthropic \$0\.56 in total/);
      expect(await p().locator('wz-line-chart').first().locator('[data-legend]').allInnerTexts()).toEqual(['anthropic', 'openai']);
      const width = async () => Number(await chart.locator('svg').getAttribute('width'));
      const box = await chart.boundingBox();
      expect(Math.abs((await width()) - (box?.width ?? 0))).toBeLessThanOrEqual(1);
      await screenshot(p(), `look-cost-${look.name}`);

      // The chart follows its box when the window changes width.
      const other = phone ? 1000 : 500;
      await p().setViewportSize({ width: other, height: 800 });
      await p().waitForFunction(
        (w) => {
          const box = document.querySelector('wactorz-panel')?.shadowRoot?.querySelector('wz-cost-view')?.shadowRoot?.querySelector('wz-line-chart')?.shadowRoot?.querySelector('.chart');
          const svg = box?.querySelector('svg');
          return !!box && !!svg && Math.abs(Number(svg.getAttribute('width')) - box.getBoundingClientRect().width) <= 1 && (w < 600 ? box.getBoundingClientRect().width < 600 : box.getBoundingClientRect().width > 600);
        },
        other,
      );
    });
  }
});
