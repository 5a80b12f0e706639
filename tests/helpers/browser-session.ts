// One headless Chromium per browser test file, over the current panel build: launched before
// the file's tests, closed after them.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { launchBrowser, pageErrors } from './browser.ts';
import { ensurePanelBuilt } from './panel-server.ts';

export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    ensurePanelBuilt();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('the browser is launched in beforeAll; use it inside tests and hooks');
    return browser;
  };
}

/** After a test: the page must have logged no errors; its context is closed either way. */
export async function closeCheckedPage(page: Page | undefined): Promise<void> {
  if (!page) return;
  try {
    expect(pageErrors(page)).toEqual([]);
  } finally {
    await page.context().close();
  }
}
