// An agent's grants on its card in headless Chromium against the real app (the real grant service
// over the fake spawner): a refused device shown inline in the server's words, the confirmation
// naming exactly what the code will be able to do, Cancel granting nothing, Allow granting with
// confirm, Revoke, and nothing at all on a protected agent.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../helpers/browser.ts';
import { usePanelSession } from '../helpers/browser-session.ts';

const session = usePanelSession();
let page: Page;

const grants = (name: string) => page.locator(`wz-agent-card [data-agent="${name}"] wz-agent-grants [data-grants="${name}"]`);
const confirmText = () => page.locator('wz-confirm [role=alertdialog] p');

async function ask(name: string, device: string): Promise<void> {
  const box = grants(name);
  if ((await box.locator('form[data-form=grant]').count()) === 0) await box.locator('[data-action=allow-sensitive]').click();
  await box.getByLabel('Which device?').fill(device);
  await box.locator('[data-action=grant-next]').click();
}

describe('agent grants', () => {
  it('grants a sensitive device only after the confirmation naming what the code can do, and revokes it', async () => {
    const server = await session.startPanel();
    page = await session.open(`${server.url}/#/agents`);
    const box = grants('energy-tracker');
    await box.locator('[data-grant="ha:sensitive:cover.garage_door"]').waitFor();
    // Built-in agents have no grants to show.
    expect(await page.locator('wz-agent-card [data-agent="main"] wz-agent-grants').count()).toBe(0);

    // Not a sensitive device: the server's refusal, inline, and nothing asked.
    await ask('energy-tracker', 'light.kitchen');
    await box.locator('[data-field=grants-error]').getByText('is not a grant. Valid grants: ha:sensitive').waitFor();
    expect(await page.locator('wz-confirm [role=alertdialog]').count()).toBe(0);

    // Cancel grants nothing.
    await ask('energy-tracker', 'lock.front_door');
    await confirmText().waitFor();
    expect(await confirmText().innerText()).toBe('Let the code of "energy-tracker" lock, unlock and open lock.front_door, without asking you each time? (ha:sensitive:lock.front_door)');
    expect(await page.locator('wz-confirm [data-confirm]').innerText()).toBe('Allow');
    await screenshot(page, 'agents-grant-confirm');
    await page.locator('wz-confirm [data-cancel]').click();
    await confirmText().waitFor({ state: 'detached' });
    expect(server.fake.state.grants.get('energy-tracker')).toEqual(['ha:sensitive:cover.garage_door']);

    // Allow grants it, with confirm: true.
    await box.locator('[data-action=grant-next]').click();
    await page.locator('wz-confirm [data-confirm]').click();
    await box.locator('[data-grant="ha:sensitive:lock.front_door"]').waitFor();
    expect(server.fake.state.grants.get('energy-tracker')).toEqual(['ha:sensitive:cover.garage_door', 'ha:sensitive:lock.front_door']);
    expect(await box.locator('form[data-form=grant]').count()).toBe(0);

    // Revoke takes one back.
    await box.locator('[data-grant="ha:sensitive:cover.garage_door"] [data-action=revoke]').click();
    await box.locator('[data-grant="ha:sensitive:cover.garage_door"]').waitFor({ state: 'detached' });
    expect(server.fake.state.grants.get('energy-tracker')).toEqual(['ha:sensitive:lock.front_door']);
    await screenshot(page, 'agents-grants');
  });

  it('asks for a whole domain in the words for every device of it', async () => {
    const server = await session.startPanel();
    page = await session.open(`${server.url}/#/agents`);
    await grants('garden-watcher').locator('[data-field=no-grants]').waitFor();
    await ask('garden-watcher', 'alarm_control_panel');
    await confirmText().waitFor();
    expect(await confirmText().innerText()).toContain('arm and disarm every alarm panel');
    await page.locator('wz-confirm [data-confirm]').click();
    await grants('garden-watcher').locator('[data-grant="ha:sensitive:alarm_control_panel"]').waitFor();
    expect(server.fake.state.grants.get('garden-watcher')).toEqual(['ha:sensitive:alarm_control_panel']);
  });
});
