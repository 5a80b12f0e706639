// One headless Chromium per browser test file, over the current panel build: launched before
// the file's tests, closed after them. usePanelSession() adds the per-test bookkeeping every
// panel test repeated: the pages it opened are checked for errors and closed, then the servers
// and proxies it owns are closed, after each test, whether it passed or not.
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { DESKTOP, launchBrowser, openPage, pageErrors } from './browser.ts';
import { ensurePanelBuilt, startPanelServer, type PanelServer } from './panel-server.ts';
import type { TestAppOptions } from './http-app.ts';

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

interface Closable {
  close(): Promise<void>;
}

export interface PanelSession {
  /** Opens `url` in a fresh browser context; after the test the page must have logged no errors. */
  open(url: string, options?: BrowserContextOptions): Promise<Page>;
  /** Closes `resource` after the test, after the pages, the last owned first (a proxy before its server). */
  own<T extends Closable>(resource: T): T;
  /** The panel on the real app with fake services (startPanelServer), owned. */
  startPanel(opts?: TestAppOptions & { port?: number }): Promise<PanelServer>;
  /** Closes an owned resource now instead of after the test (a server restart within a test). */
  close(resource: Closable): Promise<void>;
}

export function usePanelSession(): PanelSession {
  const browser = useBrowser();
  const pages: Page[] = [];
  const owned: Closable[] = [];

  afterEach(async () => {
    // Everything is closed even when a check fails; the first failure is the one reported.
    const failures: unknown[] = [];
    for (const page of pages.splice(0)) {
      try {
        expect(pageErrors(page)).toEqual([]);
      } catch (err) {
        failures.push(err);
      }
      await page.context().close().catch((err: unknown) => failures.push(err));
    }
    for (const resource of owned.splice(0).reverse()) await resource.close().catch((err: unknown) => failures.push(err));
    if (failures.length > 0) throw failures[0];
  });

  const session: PanelSession = {
    async open(url, options = DESKTOP) {
      const page = await openPage(browser(), url, options);
      pages.push(page);
      return page;
    },
    own(resource) {
      owned.push(resource);
      return resource;
    },
    async startPanel(opts) {
      return session.own(await startPanelServer(opts));
    },
    async close(resource) {
      const at = owned.indexOf(resource);
      if (at >= 0) owned.splice(at, 1);
      await resource.close();
    },
  };
  return session;
}
