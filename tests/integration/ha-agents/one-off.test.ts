import { afterEach, describe, expect, it } from 'vitest';
import { haIntentHandlers, type HaIntentHandlers } from '../../../server/src/agents/ha/intents.ts';
import { PendingConfirmations } from '../../../server/src/agents/ha/pending.ts';
import type { IntentContext } from '../../../server/src/agents/main/intents.ts';
import { reply } from '../../helpers/fake-llm/index.ts';
import { turn } from './intent-context.ts';
import { eventually, startWorld, type HaAgentsWorld } from './world.ts';

let world: HaAgentsWorld;
afterEach(async () => world.close());

const calls = (...list: Record<string, unknown>[]) => reply.text(JSON.stringify({ calls: list }));
const hallwayOn = { domain: 'light', service: 'turn_on', entity_id: 'light.hallway' };
const unlockDoor = { domain: 'lock', service: 'unlock', entity_id: 'lock.front_door' };
const oneOffs = () => world.system.list().filter((a) => a.kind === 'one_off_actuator');

/** What the orchestrator's router does with plain text: the follow-up step first, then the intent. */
async function route(handlers: HaIntentHandlers, text: string, ctx: IntentContext) {
  return (await handlers.followUp(text, ctx)) ?? handlers.actuate(text, ctx);
}

async function setup(): Promise<HaIntentHandlers> {
  world = await startWorld({ llm: true });
  return haIntentHandlers({ system: world.system, ha: world.ha, llm: world.llm, pending: new PendingConfirmations(world.clock, 120_000) });
}

describe('one-off actuator (actuate intent)', () => {
  it('resolves the request with the compact map, executes it, reports, and removes itself', async () => {
    const handlers = await setup();
    world.fake?.enqueue(calls(hallwayOn));
    const ctx = turn();
    const answer = await handlers.actuate('turn on the hallway light', ctx);
    expect(answer).toEqual({ text: 'Done: turn on Hallway Light.', agent: 'one-off-actuator' });
    expect(world.home.serviceCalls().map((c) => [`${c.domain}.${c.service}`, c.entityIds])).toEqual([['light.turn_on', ['light.hallway']]]);
    expect(world.home.getState('light.hallway')?.state).toBe('on');
    expect(ctx.events).toEqual([{ type: 'tool', name: 'ha.call_service', ok: true, text: 'Done: turn on Hallway Light.', agent: 'one-off-actuator', entityIds: ['light.hallway'] }]);
    expect(oneOffs()).toEqual([]);
    const prompt = JSON.stringify(world.fake?.lastRequest().body);
    expect(prompt).toContain('light.hallway \\"Hallway Light\\" off');
    expect(prompt).toContain('light: toggle, turn_off, turn_on');
    expect(prompt).not.toContain('sensor.living_room_humidity');
    const actuations = () => world.on('agents/#').filter((s) => s.topic.endsWith('/actuations'));
    await eventually(() => actuations().length > 0, 'the actuation event');
    expect(actuations()[0]?.payload).toMatchObject({ service: 'light.turn_on', entity_id: 'light.hallway', status: 'ok' });
  });

  it('executes several calls in order', async () => {
    const handlers = await setup();
    world.fake?.enqueue(calls(hallwayOn, { service: 'light.turn_off', entity_id: 'light.living_room' }, { domain: 'climate', service: 'set_temperature', entity_id: 'climate.living_room', service_data: { temperature: 23 } }));
    const answer = await handlers.actuate('hallway light on, living room light off and heating to 23', turn());
    expect(answer.text).toBe('Done: turn on Hallway Light and turn off Living Room Light and set temperature Thermostat.');
    expect(world.home.serviceCalls().map((c) => `${c.domain}.${c.service}`)).toEqual(['light.turn_on', 'light.turn_off', 'climate.set_temperature']);
    expect(world.home.getState('climate.living_room')?.attributes.temperature).toBe(23);
  });

  it('executes nothing when any entity or service of the plan does not exist', async () => {
    const handlers = await setup();
    world.fake?.enqueue(calls(hallwayOn, { domain: 'light', service: 'turn_on', entity_id: 'light.porch' }));
    expect((await handlers.actuate('turn on the hallway and porch lights', turn())).text).toBe('Nothing was done: Home Assistant has no entity light.porch.');
    expect(world.home.serviceCalls()).toEqual([]);
    expect(oneOffs()).toEqual([]);
  });

  it('passes on why the LLM could not resolve the request', async () => {
    const handlers = await setup();
    world.fake?.enqueue(reply.text('{"calls": [], "error": "There is no fan in this home."}'));
    expect((await handlers.actuate('turn on the fan', turn())).text).toBe('There is no fan in this home.');
  });

  it('asks before a sensitive action, and executes the same calls after "yes" without asking the LLM again', async () => {
    const handlers = await setup();
    world.fake?.enqueue(calls(unlockDoor, hallwayOn));
    const ctx = turn();
    const question = await handlers.actuate('unlock the front door and turn on the hallway light', ctx);
    expect(question.text).toBe('This would unlock Front Door Lock and turn on Hallway Light. That is a security-sensitive action (lock.front_door). Reply "yes" to go ahead or "no" to cancel.');
    expect(world.home.serviceCalls()).toEqual([]);
    expect(ctx.events).toEqual([]);
    // Another conversation's "yes" does not count.
    expect(await handlers.followUp('yes', turn('other-conversation'))).toBeUndefined();
    expect(await handlers.followUp('yes', ctx)).toEqual({ text: 'Done: unlock Front Door Lock and turn on Hallway Light.', agent: 'one-off-actuator' });
    expect(world.home.getState('lock.front_door')?.state).toBe('unlocked');
    expect(world.home.serviceCalls().map((c) => `${c.domain}.${c.service}`)).toEqual(['lock.unlock', 'light.turn_on']);
    expect(world.fake?.requests).toHaveLength(1);
    expect(oneOffs()).toEqual([]);
  });

  it('cancels on "no", forgets the question after its expiry, and drops it for a new request', async () => {
    const handlers = await setup();
    const ctx = turn();
    world.fake?.enqueue(calls(unlockDoor));
    await handlers.actuate('unlock the front door', ctx);
    expect(await handlers.followUp('no', ctx)).toEqual({ text: 'Cancelled: nothing was done.', agent: 'one-off-actuator' });

    world.fake?.enqueue(calls(unlockDoor));
    await handlers.actuate('unlock the front door', ctx);
    await world.clock.advance(120_000);
    expect(await handlers.followUp('yes', ctx)).toBeUndefined();

    world.fake?.enqueue(calls(unlockDoor), calls(hallwayOn));
    await handlers.actuate('unlock the front door', ctx);
    expect((await route(handlers, 'turn on the hallway light', ctx)).text).toBe('Done: turn on Hallway Light.');
    expect(await handlers.followUp('yes', ctx)).toBeUndefined();
    expect(world.home.serviceCalls().map((c) => `${c.domain}.${c.service}`)).toEqual(['light.turn_on']);
    expect(world.home.getState('lock.front_door')?.state).toBe('locked');
  });

  it('treats "yes" routed as the orchestrator does (the follow-up step before the intent) as the answer', async () => {
    const handlers = await setup();
    const ctx = turn();
    world.fake?.enqueue(calls({ domain: 'cover', service: 'open_cover', entity_id: 'cover.garage_door' }));
    expect((await route(handlers, 'open the garage', ctx)).text).toContain('cover.garage_door');
    expect((await route(handlers, 'yes', ctx)).text).toBe('Done: open cover Garage Door.');
    expect(world.home.serviceCalls().map((c) => `${c.domain}.${c.service}`)).toEqual(['cover.open_cover']);
  });

  it('does nothing while Home Assistant is unreachable, and says so', async () => {
    const handlers = await setup();
    await world.home.stop();
    await eventually(() => world.ha.connectionState() !== 'connected', 'the client to notice');
    world.fake?.enqueue(calls(hallwayOn));
    const answer = await handlers.actuate('turn on the hallway light', turn());
    expect(answer.text).toMatch(/^Nothing was done: Home Assistant is (disconnected|connecting|failed)/);
    await world.home.start();
    expect(world.home.serviceCalls()).toEqual([]);
  });

  it('without an LLM, says so and leaves the request to the orchestrator\'s fallback', async () => {
    world = await startWorld();
    const handlers = haIntentHandlers({ system: world.system, ha: world.ha, llm: undefined, pending: new PendingConfirmations(world.clock) });
    expect(await handlers.actuate('turn on the hallway light', turn())).toEqual({ text: 'No LLM is configured, so I cannot work out which devices you mean.', agent: 'one-off-actuator', fallthrough: true });
    expect(world.home.serviceCalls()).toEqual([]);
  });
});
