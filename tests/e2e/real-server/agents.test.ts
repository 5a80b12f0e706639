// The Agents view against the real server: an agent the user spawned is listed running; stopping
// it from its card asks for confirmation, then the actor really stops and the card shows it.
import { describe, expect, it } from 'vitest';
import { screenshot } from '../../helpers/browser.ts';
import { usePanelSession } from '../../helpers/browser-session.ts';
import { startRealServer, REAL_SERVER_TEST } from './real-server.ts';

const session = usePanelSession();

const NAME = 'porch-greeter';
const CODE = `async function setup(agent) {
  agent.log('ready to greet');
}`;

describe('agents against the real server', () => {
  it('stops a spawned agent after confirmation and shows it stopped', REAL_SERVER_TEST, async () => {
    const server = session.own(await startRealServer());
    const { runtime } = server;
    const outcome = await runtime.spawner.spawn({ type: 'dynamic', name: NAME, description: 'Greets whoever comes to the porch', code: CODE } as never, { by: 'user' });
    expect(outcome).toMatchObject({ status: 'spawned' });

    const p = await session.open(`${server.url}/#/agents`);
    const card = p.locator(`wz-agent-card [data-agent="${NAME}"]`);
    await p.locator(`wz-agent-card [data-agent="${NAME}"][data-state=running]`).waitFor();
    // The built-in agents are there too, protected from stopping.
    await p.locator('wz-agent-card [data-agent="main"]').waitFor();
    expect(await card.innerText()).toContain('Greets whoever comes to the porch');
    await screenshot(p, 'real-agents');

    await card.locator('[data-action=stop]').click();
    await p.locator('wz-confirm [role=alertdialog]').waitFor();
    await screenshot(p, 'real-agents-confirm');
    // Nothing happens before the user confirms.
    expect(runtime.system.get(NAME)?.state).toBe('running');
    await p.locator('wz-confirm [data-confirm]').click();

    await p.locator(`wz-agent-card [data-agent="${NAME}"][data-state=stopped]`).waitFor();
    expect(runtime.system.get(NAME)?.state).toBe('stopped');
    expect(await p.locator('wz-agent-card [data-agent="main"]').getAttribute('data-state')).toBe('running');
  });
});
