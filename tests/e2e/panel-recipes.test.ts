// "New agent from a recipe" in headless Chromium against the real app (the fake catalogue runs the
// real recipes/ folder through the catalog's own parameter checks): the catalogue with its
// descriptions, a form from the recipe's parameters, Spawn behind the confirmation, a refused
// parameter shown on its field, the new agent in the list without a reload, and the recipes that
// could not be loaded with their reasons.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../helpers/browser.ts';
import { usePanelSession } from '../helpers/browser-session.ts';

const session = usePanelSession();
let page: Page;

const dialog = () => page.locator('wz-recipe-dialog [role=dialog]');
const card = (name: string) => page.locator(`wz-agent-card [data-agent="${name}"]`);

async function openDialog(url: string): Promise<void> {
  page = await session.open(`${url}/#/agents`);
  await card('main').waitFor();
  await page.locator('wz-agents-view [data-action=new-from-recipe]').click();
  await dialog().locator('[data-recipe=reminders]').waitFor();
}

describe('new agent from a recipe', () => {
  it('lists the recipes, builds the form from the parameters and spawns after the confirmation', async () => {
    const server = await session.startPanel();
    await openDialog(server.url);
    // Focus moved into the dialog, onto the first recipe.
    await page.waitForFunction(() => {
      let el = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return el?.getAttribute('data-recipe') === 'camera-describer';
    });
    expect(await dialog().locator('[data-recipe=weather-fetcher]').innerText()).toContain('Weather fetcher');

    await dialog().locator('[data-recipe=reminders]').click();
    const form = dialog().locator('form[data-form=reminders]');
    await form.waitFor();
    expect(await form.locator('[data-param]').evaluateAll((els) => els.map((e) => e.getAttribute('data-param')))).toEqual(['notify_target', 'max_reminders']);
    expect(await form.getByLabel('max_reminders').inputValue()).toBe('200');
    await form.getByLabel('Agent name').fill('kitchen-reminders');
    await form.getByLabel('max_reminders').fill('5');
    await screenshot(page, 'recipe-form');

    // Cancelling the confirmation spawns nothing and keeps what was typed.
    await form.locator('[data-action=spawn]').click();
    const confirm = page.locator('wz-confirm [role=alertdialog]');
    await confirm.waitFor();
    expect(await confirm.innerText()).toContain('"kitchen-reminders"');
    await page.locator('wz-confirm [data-cancel]').click();
    await confirm.waitFor({ state: 'detached' });
    expect(server.fake.state.agents.has('kitchen-reminders')).toBe(false);
    expect(server.fake.state.calls.filter((c) => c.what === 'recipes.spawn')).toEqual([]);
    expect(await form.getByLabel('max_reminders').inputValue()).toBe('5');

    // Enter in a field submits; confirming spawns, closes the dialog and the card appears.
    await form.getByLabel('max_reminders').press('Enter');
    await page.locator('wz-confirm [data-confirm]').click();
    await dialog().waitFor({ state: 'detached' });
    await card('kitchen-reminders').waitFor();
    expect(server.fake.state.agents.get('kitchen-reminders')?.description).toContain('eminder');
  });

  it("shows a refused parameter on its field with the server's words, and Escape closes the dialog", async () => {
    const server = await session.startPanel();
    await openDialog(server.url);
    await dialog().locator('[data-recipe=daily-presence-summary]').click();
    const form = dialog().locator('form[data-form=daily-presence-summary]');
    await form.getByLabel('hour').fill('nine');
    await form.locator('[data-action=spawn]').click();
    await page.locator('wz-confirm [data-confirm]').click();
    const error = form.locator('[data-error=hour]');
    await error.waitFor();
    expect(await error.innerText()).toBe('"hour" must be a integer, got "nine"');
    expect(await form.getByLabel('hour').getAttribute('aria-invalid')).toBe('true');
    expect(server.fake.state.agents.has('daily-presence-summary')).toBe(false);
    await screenshot(page, 'recipe-refused');

    // A refusal that names no parameter (a built-in's name) is shown above the form.
    await form.getByLabel('hour').fill('20');
    await form.getByLabel('Agent name').fill('main');
    await form.locator('[data-action=spawn]').click();
    await page.locator('wz-confirm [data-confirm]').click();
    const general = dialog().locator('[data-field=error]');
    await general.getByText('is reserved for a system actor').waitFor();
    expect(await form.locator('[data-error=hour]').count()).toBe(0);
    // The name of an agent that already runs keeps that agent: the dialog says nothing new started.
    await form.getByLabel('Agent name').fill('energy-tracker');
    await form.locator('[data-action=spawn]').click();
    await page.locator('wz-confirm [data-confirm]').click();
    await general.getByText('An agent named "energy-tracker" already runs').waitFor();
    expect(server.fake.state.agents.get('energy-tracker')?.description).toBe('Tracks energy use per hour');

    // Tab stays in the dialog: from the Spawn button it wraps to Cancel.
    await form.locator('[data-action=spawn]').focus();
    await page.keyboard.press('Tab');
    await page.waitForFunction(() => {
      let el = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return el?.hasAttribute('data-close') === true;
    });
    await form.getByLabel('hour').press('Escape');
    await dialog().waitFor({ state: 'detached' });
  });

  it('lists the recipes that could not be loaded, collapsed, with their reasons', async () => {
    const server = await session.startPanel();
    await openDialog(server.url);
    const broken = dialog().locator('details[data-field=broken-recipes]');
    expect(await broken.locator('summary').innerText()).toBe('2 recipes could not be loaded');
    expect(await broken.getAttribute('open')).toBeNull();
    expect(await broken.locator('[data-broken=door-opener]').isVisible()).toBe(false);
    await broken.locator('summary').click();
    const item = broken.locator('[data-broken=door-opener]');
    await item.waitFor();
    expect(await item.innerText()).toContain('door-opener (yours): scopes: "ha:sensitive" is the owner\'s grant');
    expect(await broken.locator('[data-broken=half-written]').innerText()).toContain('Unexpected end of JSON input');
    // Not spawnable: absent from the recipe list.
    expect(await dialog().locator('[data-recipe=door-opener]').count()).toBe(0);
    await screenshot(page, 'recipes-broken');
  });

  it('shows an agent spawned elsewhere live, while the Agents view is open', async () => {
    const server = await session.startPanel();
    page = await session.open(`${server.url}/#/agents`);
    await card('main').waitFor();
    const res = await fetch(`${server.url}/api/recipes/weather-fetcher/spawn`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'athens-weather' }) });
    expect(await res.json()).toMatchObject({ agent: 'athens-weather', status: 'spawned' });
    await card('athens-weather').waitFor();
  });
});
