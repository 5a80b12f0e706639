// The owner's grants with the real runtime (embedded broker, demo home, SQLite in a data dir): an
// agent whose code operates the front door lock is refused until the owner grants it
// ha:sensitive:lock.front_door in chat and says yes; then the demo home records its call, the
// grant survives a restart over the same data dir, and a revoke refuses it again. The API does the
// same with {"confirm": true}; a restricted channel can do neither.
import { afterEach, expect, test } from 'vitest';
import type { SpawnConfig } from '../../../server/src/agents/spawn-config/config-schema.ts';
import type { TurnContext } from '../../../server/src/agents/main/turn-context.ts';
import type { Runtime } from '../../../server/src/runtime.ts';
import { eventually } from '../../helpers/eventually.ts';
import { runtimeIn } from '../../helpers/runtime.ts';
import { makeTempDir } from '../../helpers/tmp.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const DOOR_BOT = `async function handleTask(agent, p) {
  try { await agent.ha.callService("lock", p.service, { entity_id: "lock.front_door" }); return "done"; }
  catch (e) { return "refused: " + (e && e.message ? e.message : String(e)); }
}`;
const GRANT = 'ha:sensitive:lock.front_door';
const owner: TurnContext = { user: { id: 'owner', name: 'Owner' }, channel: 'panel', conversationId: 'grants' };

const lockCalls = (rt: Runtime) => (rt.haDemo?.serviceCalls() ?? []).filter((c) => c.domain === 'lock' && c.entityIds.includes('lock.front_door'));

test('a lock grant: refused before, confirmed in chat, recorded by the home, kept over a restart, refused after revoke', async () => {
  const dir = makeTempDir();
  cleanups.push(() => dir.cleanup());
  const first = await runtimeIn(dir.path);
  let running: Runtime | undefined = first;
  cleanups.push(() => running?.stop());
  await first.spawner.spawn({ name: 'door-bot', type: 'dynamic', code: DOOR_BOT } as SpawnConfig, { by: 'user' });

  expect(await first.system.ask('door-bot', { service: 'unlock' })).toContain('refused');
  expect(lockCalls(first)).toEqual([]);

  // A restricted channel is refused, and asks nothing.
  const fromBroker = await first.orchestrator.ask(`/agents grant door-bot ${GRANT}`, { ...owner, channel: 'mqtt', conversationId: 'mqtt' });
  expect(fromBroker.reply).toContain('only for the owner');
  expect(first.spawner.grantsOf('door-bot')).toEqual([]);

  const asked = await first.orchestrator.ask(`/agents grant door-bot ${GRANT}`, owner);
  expect(asked.reply).toContain('lets its code lock, unlock and open lock.front_door');
  expect(asked.reply).toContain('Reply yes or no');
  expect(asked.events.find((e) => e.type === 'done')).toMatchObject({ awaiting: 'confirmation' });
  expect(first.spawner.grantsOf('door-bot')).toEqual([]);

  const yes = await first.orchestrator.ask('yes', owner);
  expect(yes.reply).toContain(`door-bot now has ${GRANT} (restarted with it)`);
  expect(first.spawner.grantsOf('door-bot')).toEqual([GRANT]);
  expect((await first.orchestrator.ask('/agents door', owner)).reply).toContain(`grants: ${GRANT}`);

  expect(await first.system.ask('door-bot', { service: 'unlock' })).toBe('done');
  expect(lockCalls(first).map((c) => c.service)).toEqual(['unlock']);
  await eventually(() => first.ha.getState('lock.front_door')?.state === 'unlocked', 'the lock unlocked');
  await first.stop();

  const second = await runtimeIn(dir.path);
  running = second;
  expect(second.spawner.grantsOf('door-bot')).toEqual([GRANT]);
  expect(await second.system.ask('door-bot', { service: 'lock' })).toBe('done');
  expect(lockCalls(second).map((c) => c.service)).toEqual(['lock']);

  const revoked = await second.orchestrator.ask(`/agents revoke door-bot ${GRANT}`, owner);
  expect(revoked.reply).toBe(`door-bot no longer has ${GRANT} (restarted without it).`);
  expect(await second.system.ask('door-bot', { service: 'unlock' })).toContain('refused');
  expect(lockCalls(second)).toHaveLength(1);
});

test('the API grants with confirm: true only, validates like the chat, and revokes', async () => {
  const dir = makeTempDir();
  cleanups.push(() => dir.cleanup());
  const rt = await runtimeIn(dir.path);
  cleanups.push(() => rt.stop());
  await rt.spawner.spawn({ name: 'door-bot', type: 'dynamic', code: DOOR_BOT } as SpawnConfig, { by: 'user' });
  const url = `/api/agents/door-bot/grants/${encodeURIComponent(GRANT)}`;

  expect((await rt.app.inject({ method: 'GET', url: '/api/agents/door-bot/grants' })).json()).toMatchObject({ name: 'door-bot', grants: [] });
  expect((await rt.app.inject({ method: 'PUT', url })).statusCode).toBe(400);
  const unconfirmed = await rt.app.inject({ method: 'PUT', url, payload: {} });
  expect(unconfirmed.statusCode).toBe(400);
  expect(unconfirmed.json<{ error: { message: string } }>().error.message).toContain('lock, unlock and open lock.front_door');
  const bad = await rt.app.inject({ method: 'PUT', url: '/api/agents/door-bot/grants/ha:everything', payload: { confirm: true } });
  expect(bad.statusCode).toBe(400);
  expect(bad.json<{ error: { message: string } }>().error.message).toContain('Valid grants: ha:sensitive; ha:sensitive:lock');
  expect((await rt.app.inject({ method: 'PUT', url: `/api/agents/ghost/grants/${encodeURIComponent(GRANT)}`, payload: { confirm: true } })).statusCode).toBe(404);
  expect(await rt.system.ask('door-bot', { service: 'unlock' })).toContain('refused');

  const granted = await rt.app.inject({ method: 'PUT', url, payload: { confirm: true } });
  expect(granted.statusCode).toBe(200);
  expect(granted.json()).toMatchObject({ grants: [GRANT] });
  expect(await rt.system.ask('door-bot', { service: 'unlock' })).toBe('done');
  expect(lockCalls(rt).map((c) => c.service)).toEqual(['unlock']);

  const removed = await rt.app.inject({ method: 'DELETE', url });
  expect(removed.statusCode).toBe(200);
  expect(removed.json()).toMatchObject({ grants: [] });
  expect(await rt.system.ask('door-bot', { service: 'lock' })).toContain('refused');
  expect(lockCalls(rt)).toHaveLength(1);
});
