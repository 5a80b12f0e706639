// The owner's grants: the grammar (what may be granted, and the words the owner confirms), and the
// spawner applying a grant through its hot swap, with real isolates on the real kernel.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { executeCommand } from '../../../../server/src/core/commands.ts';
import { SpawnError } from '../../../../server/src/agents/spawner/agent-spawner.ts';
import { describeGrant, GRANT_FORMS, needsConfirmation, parseGrant } from '../../../../server/src/agents/spawner/grants.ts';
import { isGrant } from '../../../../server/src/ha/sensitive-calls.ts';
import { dyn, makeAgentsEnv, type AgentsEnv } from './fixtures.ts';

describe('grant grammar', () => {
  test('the sensitive forms are grants, in one spelling', () => {
    for (const g of ['ha:sensitive', 'ha:sensitive:lock', 'ha:sensitive:alarm_control_panel', 'ha:sensitive:cover', 'ha:sensitive:lock.front_door', 'ha:sensitive:cover.garage_door']) {
      expect(parseGrant(g)).toEqual({ ok: true, grant: g });
      expect(isGrant(g)).toBe(true);
      expect(needsConfirmation(g)).toBe(true);
    }
    expect(parseGrant(' HA:Sensitive:Lock.Front_Door ')).toEqual({ ok: true, grant: 'ha:sensitive:lock.front_door' });
  });

  test('anything else is refused with the valid forms listed', () => {
    for (const g of ['trusted', 'ha:write', 'ha:sensitive:light', 'ha:sensitive:light.kitchen', 'ha:sensitive:', 'ha:sensitive:lock.front door', 'ha:sensitive:lock.a.b']) {
      const r = parseGrant(g);
      expect(r.ok, g).toBe(false);
      if (!r.ok) expect(r.error).toContain(`Valid grants: ${GRANT_FORMS.join('; ')}`);
    }
  });

  test('the confirmation names exactly what the code may do', () => {
    expect(describeGrant('ha:sensitive:lock.front_door')).toBe('lock, unlock and open lock.front_door');
    expect(describeGrant('ha:sensitive:lock')).toBe('lock, unlock and open every lock');
    expect(describeGrant('ha:sensitive:alarm_control_panel.home')).toBe('arm and disarm alarm_control_panel.home');
    expect(describeGrant('ha:sensitive:cover')).toBe('open and close every garage, door and gate cover');
    expect(describeGrant('ha:sensitive')).toContain('every lock, arm and disarm every alarm panel');
  });
});

describe('Spawner.setGrants', () => {
  let env: AgentsEnv;
  beforeEach(async () => {
    env = await makeAgentsEnv();
  });
  afterEach(async () => {
    await env.close();
  });

  const BOOTS = 'async function setup(agent) { agent.persist("boots", agent.recall("boots", 0) + 1); }\nasync function handleTask(agent) { return agent.recall("boots", 0); }';
  const GRANT = 'ha:sensitive:lock.front_door';

  test('a running agent is restarted with the grant (same code, same state); a revoke restarts it without', async () => {
    await env.agents.spawner.spawn(dyn('door-bot', BOOTS), { by: 'llm' });
    expect(await env.system.ask('door-bot', {})).toBe(1);
    expect(await env.agents.spawner.setGrants('door-bot', [GRANT, GRANT], { by: 'user', userId: 'owner' })).toEqual({ name: 'door-bot', grants: [GRANT], restarted: true });
    expect(await env.system.ask('door-bot', {})).toBe(2);
    expect(env.agents.spawner.grantsOf('door-bot')).toEqual([GRANT]);
    await env.restart();
    await env.agents.spawner.restoreAll();
    expect(env.agents.spawner.grantsOf('door-bot')).toEqual([GRANT]);
    expect(await env.system.ask('door-bot', {})).toBe(3);
    expect(await env.agents.spawner.setGrants('door-bot', [], { by: 'user' })).toEqual({ name: 'door-bot', grants: [], restarted: true });
    expect(await env.system.ask('door-bot', {})).toBe(4);
    expect(env.agents.spawner.grantsOf('door-bot')).toEqual([]);
  });

  test('a stopped agent keeps its grant for its next start and is not started by it', async () => {
    await env.agents.spawner.spawn(dyn('door-bot', BOOTS), { by: 'llm' });
    await executeCommand(env.system, 'door-bot', { command: 'stop' });
    expect(await env.agents.spawner.setGrants('door-bot', [GRANT], { by: 'user' })).toMatchObject({ restarted: false });
    expect(env.system.get('door-bot')?.state).toBe('stopped');
  });

  test('refused: another origin than the user, an unknown agent, an unknown grant', async () => {
    await env.agents.spawner.spawn(dyn('door-bot', BOOTS), { by: 'llm' });
    await expect(env.agents.spawner.setGrants('door-bot', [GRANT], { by: 'llm' } as never)).rejects.toThrow('only the user can grant');
    await expect(env.agents.spawner.setGrants('ghost', [GRANT], { by: 'user' })).rejects.toThrow('no spawned agent named ghost');
    await expect(env.agents.spawner.setGrants('door-bot', ['root'], { by: 'user' })).rejects.toBeInstanceOf(SpawnError);
    expect(env.agents.spawner.grantsOf('door-bot')).toEqual([]);
    expect(env.agents.spawner.grantsOf('ghost')).toBeUndefined();
  });

  test('new code from the LLM does not inherit the grant, and the answer says so', async () => {
    await env.agents.spawner.spawn(dyn('door-bot', BOOTS), { by: 'user' });
    await env.agents.spawner.setGrants('door-bot', [GRANT], { by: 'user' });
    const swapped = await env.agents.spawner.spawn(dyn('door-bot', BOOTS, { replace: true }), { by: 'llm' });
    expect(swapped.warnings.join('\n')).toContain(`door-bot no longer has ${GRANT}: new code needs the owner's grant again`);
    expect(env.agents.spawner.grantsOf('door-bot')).toEqual([]);
  });
});
