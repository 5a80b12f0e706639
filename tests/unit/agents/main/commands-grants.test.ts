// /agents grant|revoke in chat: the owner's alone, asked as a yes/no that names what the agent's
// code will be able to do, answered only in the same conversation before it lapses; and a grant
// never comes from what the LLM writes (a spawn block or tool call carrying one is refused).
import { afterEach, describe, expect, it } from 'vitest';
import type { Channel } from '../../../../server/src/agents/main/turn-context.ts';
import type { GrantsOutcome, SpawnOrigin } from '../../../../server/src/agents/spawner/agent-spawner.ts';
import { parseSpawnToolCall, SPAWN_AGENT_TOOL } from '../../../../server/src/agents/spawn-config/tool.ts';
import { validateSpawnConfig } from '../../../../server/src/agents/spawn-config/validate.ts';
import { harness, type FakeSpawner, type Harness } from './harness.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const GRANT = 'ha:sensitive:lock.front_door';

/** The harness's spawner with grants kept in memory, recording every change. */
function withGrants(spawner: FakeSpawner): { changes: { name: string; grants: readonly string[]; origin: SpawnOrigin }[]; held: Map<string, string[]> } {
  const held = new Map<string, string[]>();
  const changes: { name: string; grants: readonly string[]; origin: SpawnOrigin }[] = [];
  Object.assign(spawner, {
    grantsOf: (name: string) => (spawner.list().some((a) => a.name === name) ? [...(held.get(name) ?? [])] : undefined),
    setGrants: async (name: string, grants: readonly string[], origin: SpawnOrigin): Promise<GrantsOutcome> => {
      changes.push({ name, grants, origin });
      held.set(name, [...grants]);
      return { name, grants: [...grants], restarted: true };
    },
  });
  return { changes, held };
}

async function setup(): Promise<ReturnType<typeof withGrants>> {
  h = await harness();
  await h.spawner.spawn({ name: 'door-bot', type: 'dynamic', code: 'async function setup() {}' } as never, { by: 'user' });
  return withGrants(h.spawner);
}

describe('/agents grant and revoke', () => {
  it('asks first, naming what the code may do; yes grants as the user, no cancels', async () => {
    const g = await setup();
    const asked = await h.turn(`/agents grant door-bot ${GRANT}`);
    expect(asked.reply).toBe(`⚠️ Granting door-bot ${GRANT} lets its code lock, unlock and open lock.front_door whenever its code decides to, without asking you each time. door-bot is restarted with the grant. Grant it? Reply yes or no.`);
    expect(asked.events.find((e) => e.type === 'done')).toMatchObject({ awaiting: 'confirmation' });
    expect((await h.turn('no')).reply).toBe(`Cancelled: door-bot was not granted ${GRANT}.`);
    expect(g.changes).toEqual([]);

    await h.turn(`/agents grant door-bot ${GRANT}`);
    expect((await h.turn('yes')).reply).toBe(`🔓 door-bot now has ${GRANT} (restarted with it). Revoke it with /agents revoke door-bot ${GRANT}.`);
    expect(g.changes).toEqual([{ name: 'door-bot', grants: [GRANT], origin: { by: 'user', userId: 'alice' } }]);
    expect((await h.turn('/agents door')).reply).toContain(`grants: ${GRANT}`);
    expect((await h.turn('/agents door', { channel: 'mqtt' })).reply).not.toContain('grants');
    expect((await h.turn(`/agents grant door-bot ${GRANT}`)).reply).toBe(`door-bot already has ${GRANT}.`);

    expect((await h.turn(`/agents revoke door-bot ${GRANT}`)).reply).toBe(`door-bot no longer has ${GRANT} (restarted without it).`);
    expect(g.held.get('door-bot')).toEqual([]);
    expect((await h.turn(`/agents revoke door-bot ${GRANT}`)).reply).toBe(`door-bot does not have ${GRANT}; it has no grants.`);
  });

  it.each<Channel>(['mqtt', 'agent', 'wyoming', 'assist_limited'])('is refused on the restricted channel %s, which cannot answer yes either', async (channel) => {
    const g = await setup();
    const r = await h.turn(`/agents grant door-bot ${GRANT}`, { channel });
    expect(r.reply).toContain('only for the owner');
    expect(r.events.find((e) => e.type === 'done')).not.toHaveProperty('awaiting');
    await h.turn(`/agents grant door-bot ${GRANT}`);
    await h.turn('yes', { channel });
    expect((await h.turn(`/agents revoke door-bot ${GRANT}`, { channel })).reply).toContain('only for the owner');
    expect(g.changes).toEqual([]);
  });

  it('refuses an unknown agent and an unknown grant, listing the valid forms', async () => {
    const g = await setup();
    expect((await h.turn(`/agents grant door-bott ${GRANT}`)).reply).toBe('There is no spawned agent named door-bott; grants are for agents in the spawn registry (/agents lists them). Did you mean door-bot?');
    expect((await h.turn('/agents grant door-bot trusted')).reply).toBe(
      '"trusted" is not a grant. Valid grants: ha:sensitive; ha:sensitive:lock; ha:sensitive:alarm_control_panel; ha:sensitive:cover; ha:sensitive:<entity_id> (a lock, alarm panel or cover, e.g. ha:sensitive:lock.front_door).',
    );
    expect((await h.turn('/agents grant door-bot')).reply).toContain('/agents grant needs an agent name and one grant.');
    expect(g.changes).toEqual([]);
  });

  it('a yes after the question lapsed, or after another request, grants nothing', async () => {
    const g = await setup();
    await h.turn(`/agents grant door-bot ${GRANT}`);
    await h.clock.advance(2 * 60_000 + 1);
    expect((await h.turn('yes')).reply).not.toContain('now has');
    await h.turn(`/agents grant door-bot ${GRANT}`);
    await h.turn('what is the weather like');
    expect((await h.turn('yes')).reply).not.toContain('now has');
    await h.turn(`/agents grant door-bot ${GRANT}`);
    await h.turn('yes', { conversationId: 'another' });
    expect(g.changes).toEqual([]);
  });
});

describe('grants never come from LLM output', () => {
  it('a spawn block carrying grants is refused and nothing is spawned', async () => {
    h = await harness();
    h.script.chat = () => '<spawn>{"name": "sneaky", "type": "dynamic", "code": "async function setup(agent) {}", "grants": ["ha:sensitive"]}</spawn>';
    const r = await h.turn('make an agent that can open the front door');
    expect(r.reply).toMatch(/⚠️ spawn "sneaky" rejected: .*grants/);
    expect(h.spawner.spawned).toEqual([]);
  });

  it('the spawn tool has no grants or scopes argument, and a call carrying them is refused', () => {
    const props = Object.keys((SPAWN_AGENT_TOOL.parameters as { properties: Record<string, unknown> }).properties);
    expect(props).not.toContain('grants');
    expect(props).not.toContain('scopes');
    expect(parseSpawnToolCall({ name: 'sneaky', type: 'dynamic', code: 'async function setup(agent) {}', grants: ['ha:sensitive'] }).ok).toBe(false);
    expect(validateSpawnConfig({ name: 'sneaky', type: 'dynamic', code: 'async function setup(agent) {}', scopes: ['ha:write'] }).ok).toBe(false);
  });
});
