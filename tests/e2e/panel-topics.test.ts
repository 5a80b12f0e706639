// The Topics view's wiring graph (issue 17, item 3): laid out by dagre with every label whole
// (the `ha/` prefix and the entity id's tail included), readable at the phone's width, panned and
// zoomed; topic titles break only after a '/'. In every look, with screenshots.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../helpers/browser.ts';
import { usePanelSession } from '../helpers/browser-session.ts';
import { iso } from '../helpers/fake-data.ts';
import type { TopicInfo } from '../../server/src/contract/topics.ts';
import { LOOKS } from './looks.ts';

const session = usePanelSession();
let page: Page | undefined;

const topic = (name: string, publishers: string[], subscribers: string[]): TopicInfo => ({
  topic: name, description: null, contract: null, observed_schema: null, publishers, subscribers, message_count: 12, last_seen: iso(-5_000),
});

const TOPICS = [
  topic('wactorz/ha/state_changes/light/light.kitchen_ceiling_main', ['home-assistant-state-bridge'], ['main', 'kitchen-light-watcher']),
  topic('wactorz/ha/state_changes/binary_sensor/binary_sensor.front_door_contact', ['home-assistant-state-bridge'], ['front-door-notifier']),
  topic('wactorz/custom/weather/weather-fetcher', ['weather-fetcher'], ['main']),
];

describe('the wiring graph', () => {
  for (const look of LOOKS) {
    it(`shows every label whole, stays readable, pans and zooms (${look.name})`, async () => {
      const server = await session.startPanel();
      server.fake.state.topics = TOPICS;
      page = await session.open(`${server.url}/#/topics`, look.options);
      const graph = page.locator('wz-wiring-graph svg[data-graph=wiring]');
      await graph.waitFor();

      const labels = await graph.locator('g[data-label] text').allTextContents();
      for (const t of TOPICS) expect(labels).toContain(t.topic);
      expect(labels).toContain('home-assistant-state-bridge');
      expect(labels.some((l) => l.includes('…'))).toBe(false);
      // Each label fits its box.
      const overflowing = await graph.locator('g[data-label]').evaluateAll((gs) =>
        gs.filter((g) => (g.querySelector('text')!.getBBox().width > g.querySelector('rect')!.getBBox().width)).map((g) => g.getAttribute('data-label')),
      );
      expect(overflowing).toEqual([]);
      expect(await graph.locator('path.edge').count()).toBe(7);

      // Readable at any width: the graph is never shrunk below 0.8 to fit a phone.
      const scale = Number(await graph.getAttribute('data-scale'));
      expect(scale).toBeGreaterThanOrEqual(0.8);
      await screenshot(page, `topics-${look.name}`);

      // Pan by dragging, zoom with the buttons, back with Fit.
      const layer = graph.locator('g[transform]').first();
      const before = await layer.getAttribute('transform');
      const box = (await page.locator('wz-wiring-graph .view').boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2 - 120, box.y + box.height / 2 - 40, { steps: 4 });
      await page.mouse.up();
      expect(await layer.getAttribute('transform')).not.toBe(before);
      await page.locator('wz-wiring-graph [data-zoom=in]').click();
      expect(Number(await graph.getAttribute('data-scale'))).toBeGreaterThan(scale);
      await page.locator('wz-wiring-graph [data-zoom=fit]').click();
      expect(Number(await graph.getAttribute('data-scale'))).toBe(scale);

      // A topic title wraps only after a '/': no path segment is split across lines.
      const split = await page.locator('wz-topics-view [data-topic] .topic-id .seg').evaluateAll((segs) =>
        segs.filter((seg) => new Set([...seg.getClientRects()].map((r) => Math.round(r.top))).size > 1).map((seg) => seg.textContent),
      );
      expect(await page.locator('wz-topics-view [data-topic] .topic-id .seg').count()).toBeGreaterThan(10);
      expect(split).toEqual([]);
    });
  }
});
