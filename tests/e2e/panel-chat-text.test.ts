// How answers read in the panel (issue 17): an agent's result shows once, not again as an
// activity line, and padded command output keeps its columns. In every look, with screenshots.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../helpers/browser.ts';
import { usePanelSession } from '../helpers/browser-session.ts';
import { LOOKS } from './looks.ts';

const session = usePanelSession();
let page: Page | undefined;

async function ask(text: string): Promise<void> {
  const box = page!.locator('wz-chat-view textarea');
  await box.fill(text);
  await box.press('Enter');
  await page!.locator('wz-chat-view [data-role=assistant][data-streaming=false]').last().waitFor();
}

describe('chat answers', () => {
  for (const look of LOOKS) {
    it(`show an agent's result once and command columns as a table (${look.name})`, async () => {
      const server = await session.startPanel();
      page = await session.open(`${server.url}/#/chat`, look.options);
      await ask('@catalog list');
      const answer = page.locator('wz-chat-view [data-role=assistant]').last();
      await answer.locator('strong', { hasText: 'Recipes' }).waitFor();
      // The tool event carried the same Markdown: no grey line with literal ** beside the answer.
      expect(await page.locator('wz-chat-view [data-role=activity]').count()).toBe(0);
      expect(await page.locator('wz-chat-view .thread').innerText()).not.toContain('**');

      await ask('/help');
      const table = page.locator('wz-chat-view [data-role=assistant] table.columns').first();
      await table.waitFor();
      expect(await table.locator('tr').first().locator('td').allInnerTexts()).toEqual(['/help', 'list the commands, or explain one']);
      // The two cells of a row sit side by side: the column survives at any width.
      const [a, b] = await table.locator('tr').first().locator('td').evaluateAll((tds) => tds.map((td) => td.getBoundingClientRect().toJSON() as DOMRect));
      expect(b?.left).toBeGreaterThanOrEqual(a?.right ?? Infinity);
      await screenshot(page, `chat-text-${look.name}`);
    });
  }
});
