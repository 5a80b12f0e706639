// The Memory view in headless Chromium against the real app: the header sums up what Wactorz
// knows, the search box narrows the list, and "Forget all" forgets everything only after the
// confirmation (Cancel and Escape keep every fact).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../helpers/browser.ts';
import { usePanelSession } from '../helpers/browser-session.ts';

const session = usePanelSession();
let page: Page;

const view = () => page.locator('wz-memory-view');
const keys = () => view().locator('[data-key]').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')));

describe('memory', () => {
  it('sums up the facts and filters them by the search box', async () => {
    const server = await session.startPanel();
    page = await session.open(`${server.url}/#/memory`);
    await view().locator('[data-key="user.phone"]').waitFor();
    expect(await view().locator('[data-field=counts]').innerText()).toBe('2 facts · 1 learnt in chat, 1 set by you');
    expect(await view().locator('[data-field=latest]').innerText()).toMatch(/^Last learnt .* ago: (user\.phone|home\.bedtime)$/);

    const search = view().getByRole('searchbox', { name: 'Search facts' });
    await search.fill('bed');
    await view().locator('[data-key="user.phone"]').waitFor({ state: 'detached' });
    expect(await keys()).toEqual(['home.bedtime']);
    await search.fill('');
    // A category chip filters by that category and shows it pressed; pressed again, it shows all.
    const chip = view().locator('[data-category=entity]');
    expect(await view().locator('[data-field=categories] [data-category]').evaluateAll((els) => els.map((e) => e.textContent))).toEqual(['entity · 1', 'preference · 1']);
    await chip.click();
    await view().locator('[data-key="home.bedtime"]').waitFor({ state: 'detached' });
    expect(await keys()).toEqual(['user.phone']);
    expect(await chip.getAttribute('aria-pressed')).toBe('true');
    await chip.click();
    await view().locator('[data-key="home.bedtime"]').waitFor();
    await search.fill('nothing like this');
    await view().locator('[data-field=no-match]').waitFor();
    await search.fill('');
    await view().locator('[data-key="user.phone"]').waitFor();
    expect(await keys()).toEqual(['user.phone', 'home.bedtime']);
    await screenshot(page, 'memory-summary');
  });

  it('forgets every fact only when the confirmation is accepted', async () => {
    const server = await session.startPanel();
    page = await session.open(`${server.url}/#/memory`);
    const forgetAll = view().locator('[data-action=forget-all]');
    await forgetAll.waitFor();

    // Cancel keeps everything.
    await forgetAll.click();
    const dialog = page.locator('wz-confirm [role=alertdialog]');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('Forget all 2 facts');
    await page.locator('wz-confirm [data-cancel]').click();
    await dialog.waitFor({ state: 'detached' });
    // Escape too, from the keyboard: the button is reached and pressed without the mouse.
    await forgetAll.focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(server.fake.state.memory).toHaveLength(2);
    expect(server.fake.state.calls.filter((c) => c.what === 'memory.clear')).toEqual([]);

    await forgetAll.click();
    await page.locator('wz-confirm [data-confirm]').click();
    await view().getByText('Nothing remembered yet.').waitFor();
    expect(await view().locator('[data-field=counts]').innerText()).toBe('Nothing remembered yet');
    expect(await view().locator('[data-action=forget-all]').count()).toBe(0);
    expect(server.fake.state.memory).toEqual([]);
    expect(server.fake.state.calls.filter((c) => c.what === 'memory.clear')).toHaveLength(1);
  });

  it('shows a fact learnt elsewhere after a clear without a reload', async () => {
    const server = await session.startPanel();
    page = await session.open(`${server.url}/#/memory`);
    await view().locator('[data-key="user.phone"]').waitFor();
    // Another client (the CLI, a second panel) forgets everything: the live event refetches.
    const res = await fetch(`${server.url}/api/memory`, { method: 'DELETE' });
    expect(await res.json()).toEqual({ ok: true, forgotten: 2 });
    await view().getByText('Nothing remembered yet.').waitFor();
    server.fake.state.memory.push({ key: 'user.name', value: 'Alex', source: 'chat', origin: 'chat', created_at: new Date().toISOString(), updated_at: new Date().toISOString() });
    server.hub.publish({ type: 'memory.update', key: 'user.name', removed: false });
    await view().locator('[data-key="user.name"]').waitFor();
    expect(await view().locator('[data-field=counts]').innerText()).toBe('1 fact · 1 learnt in chat');
  });
});
