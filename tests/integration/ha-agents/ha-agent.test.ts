import { afterEach, describe, expect, it } from 'vitest';
import { HomeAssistantAgent, type HaAgentReply } from '../../../server/src/agents/ha/assistant/ha-agent.ts';
import { haIntentHandlers } from '../../../server/src/agents/ha/intents.ts';
import { PendingConfirmations } from '../../../server/src/agents/ha/pending.ts';
import { reply } from '../../helpers/fake-llm/index.ts';
import { turn } from './intent-context.ts';
import { eventually, startWorld, type HaAgentsWorld } from './world.ts';

let world: HaAgentsWorld;
afterEach(async () => world.close());

const ask = (payload: unknown) => world.system.ask<HaAgentReply>('home-assistant-agent', payload);
const requestText = (n: number) => JSON.stringify(world.fake?.requests[n - 1]?.body ?? {});

async function setup(llm = true) {
  world = await startWorld({ llm });
  await world.system.spawn(new HomeAssistantAgent({ ha: world.ha, llm: world.llm }));
  const pending = new PendingConfirmations(world.clock);
  return haIntentHandlers({ system: world.system, ha: world.ha, llm: world.llm, pending });
}

const doorLight = {
  alias: 'Door light',
  triggers: [{ trigger: 'state', entity_id: 'binary_sensor.front_door', to: 'on' }],
  actions: [{ action: 'light.turn_on', target: { entity_id: 'light.hallway' } }],
};

describe('home-assistant-agent', () => {
  it('lists for the planner without an LLM, cached for 30 s', async () => {
    await setup(false);
    const first = await ask({ action: 'list_entities', domain: 'light' });
    expect(first).toMatchObject({ status: 'ok', data: expect.arrayContaining([expect.objectContaining({ entity_id: 'light.kitchen', state: 'off', area: 'Kitchen' })]) as unknown });
    world.home.setState('light.kitchen', 'on');
    await eventually(() => world.ha.getState('light.kitchen')?.state === 'on', 'the cache to follow');
    expect(await ask({ action: 'list_entities', domain: 'light' })).toEqual(first);
    await world.clock.advance(30_000);
    const fresh = await ask({ action: 'list_entities', domain: 'light' });
    expect((fresh as { data: { entity_id: string; state: string }[] }).data.find((e) => e.entity_id === 'light.kitchen')?.state).toBe('on');
    expect(await ask({ action: 'list_automations' })).toMatchObject({ status: 'ok', text: expect.stringContaining('Hallway light on motion') as unknown });
  });

  it('understands listing requests by their words, with no second classifier call', async () => {
    const handlers = await setup();
    const answer = await handlers.ha('which rooms do I have?', turn());
    expect(answer).toMatchObject({ agent: 'home-assistant-agent', text: expect.stringContaining('- Hallway (Ground floor)') as unknown });
    expect(world.fake?.requests).toHaveLength(0);
  });

  it('asks the cheap classifier only when the words do not tell', async () => {
    const handlers = await setup();
    world.fake?.enqueue(reply.text('list_areas'));
    const answer = await handlers.ha('give me the rooms of this house', turn());
    expect(answer).toMatchObject({ agent: 'home-assistant-agent', text: expect.stringContaining('- Hallway (Ground floor)') as unknown });
    expect(requestText(1)).toContain('Classify a request about a Home Assistant home');
  });

  it('creates an automation the LLM wrote, after one correction of an entity that does not exist', async () => {
    const handlers = await setup();
    world.fake?.enqueue(
      reply.text('create_automation'),
      reply.text(JSON.stringify({ ...doorLight, actions: [{ action: 'light.turn_on', target: { entity_id: 'light.porch' } }] })),
      reply.text(`\`\`\`json\n${JSON.stringify(doorLight)}\n\`\`\``),
    );
    const answer = await handlers.ha('when the front door opens, turn on the hallway light', turn());
    expect(answer.text).toBe('Created the automation "Door light".');
    expect(requestText(3)).toContain('Home Assistant has no entity light.porch');
    const saved = world.home.core.automations.ids().map((id) => world.home.core.automations.get(id)).find((a) => a?.alias === 'Door light');
    expect(saved).toMatchObject({ triggers: doorLight.triggers, actions: doorLight.actions });
    // The prompt carried the compact map, not HA's state dump.
    expect(requestText(2)).toContain('binary_sensor.front_door \\"Front Door\\" off');
    expect(requestText(2)).not.toContain('last_changed');
  });

  it('refuses an automation that still fails its checks, saving nothing', async () => {
    const handlers = await setup();
    const bad = JSON.stringify({ ...doorLight, actions: [{ action: 'light.blink', target: { entity_id: 'light.hallway' } }] });
    world.fake?.enqueue(reply.text('create_automation'), reply.text(bad), reply.text(bad));
    const before = world.home.core.automations.ids().length;
    expect((await handlers.ha('blink the hallway light when the door opens', turn())).text).toBe('I could not write a valid automation: Home Assistant has no service light.blink.');
    expect(world.home.core.automations.ids()).toHaveLength(before);
  });

  it('never saves an automation that would unlock a door or open the garage on the LLM\'s word', async () => {
    const handlers = await setup();
    const unlock = { ...doorLight, alias: 'Unlock on arrival', actions: [{ action: 'lock.unlock', target: { entity_id: 'lock.front_door' } }] };
    world.fake?.enqueue(reply.text('create_automation'), reply.text(JSON.stringify(unlock)));
    const before = world.home.core.automations.ids().length;
    expect((await handlers.ha('unlock the front door when I arrive', turn())).text).toMatch(/not saved.*lock\.front_door.*confirmation/);
    const nested = { ...doorLight, alias: 'Garage', actions: [{ choose: [{ conditions: [], sequence: [{ service: 'cover.open_cover', entity_id: 'cover.garage_door' }] }] }] };
    expect(await ask({ action: 'create_automation', config: nested })).toMatchObject({ status: 'error', error: { code: 'sensitive' } });
    expect(world.home.core.automations.ids()).toHaveLength(before);
    expect(await ask({ action: 'create_automation', config: doorLight })).toMatchObject({ status: 'ok' });
  });

  it('edits the automation named in the request', async () => {
    const handlers = await setup();
    const current = world.home.core.automations.get('1735689600001') as Record<string, unknown>;
    const edited = { ...current, actions: [{ action: 'light.turn_on', target: { entity_id: 'light.hallway' }, data: { brightness_pct: 30 } }] };
    world.fake?.enqueue(reply.text('edit_automation'), reply.text(JSON.stringify(edited)));
    expect((await handlers.ha('make the hallway light on motion automation dim the light to 30%', turn())).text).toBe('Updated the automation "Hallway light on motion".');
    expect(requestText(2)).toContain('The current automation');
    expect(world.home.core.automations.get('1735689600001')).toMatchObject({ actions: edited.actions });
  });

  it('asks which automation to delete when several fit, then deletes the one chosen', async () => {
    const handlers = await setup();
    for (const alias of ['Morning lights', 'Evening lights']) {
      expect(await ask({ action: 'create_automation', config: { ...doorLight, alias } })).toMatchObject({ status: 'ok' });
    }
    await eventually(() => world.ha.states().filter((s) => s.entity_id.startsWith('automation.')).length === 3, 'the new automations in the cache');
    world.fake?.enqueue(reply.text('delete_automation'));
    const ctx = turn();
    const question = await handlers.ha('delete the lights automation', ctx);
    expect(question.text).toBe('Several automations fit. Which one should I delete?\n1. Evening lights\n2. Morning lights\nReply with the number or the name (or "no" to cancel).');
    expect(await handlers.followUp('1', ctx)).toEqual({ text: 'Deleted the automation "Evening lights".', agent: 'home-assistant-agent' });
    const aliases = world.home.core.automations.ids().map((id) => world.home.core.automations.get(id)?.alias);
    expect(aliases.sort()).toEqual(['Hallway light on motion', 'Morning lights']);
    // The question was answered once: another "1" is not an answer any more.
    expect(await handlers.followUp('1', ctx)).toBeUndefined();
  });

  it('deletes a clear match directly, and cancels on "no"', async () => {
    const handlers = await setup();
    world.fake?.enqueue(reply.text('delete_automation'));
    expect((await handlers.ha('remove the hallway motion automation', turn())).text).toBe('Deleted the automation "Hallway light on motion".');
    expect(world.home.core.automations.ids()).toEqual([]);
  });

  it('recommends hardware from what exists, retrying a "can do" without hardware and dropping invented ids', async () => {
    const handlers = await setup();
    world.fake?.enqueue(
      reply.text('recommend_hardware'),
      reply.text('{"can_fulfill": true, "hardware": [], "missing": [], "summary": "Yes."}'),
      reply.text(JSON.stringify({ can_fulfill: true, hardware: [{ entity_id: 'binary_sensor.hallway_motion', role: 'trigger' }, { entity_id: 'light.garden', role: 'action' }], missing: ['an outdoor light for the garden'], summary: 'The hallway motion sensor can start it.' })),
    );
    const answer = await handlers.ha('what do I need to light the garden when someone walks in?', turn());
    expect(answer.text).toBe('The hallway motion sensor can start it.\nIt would use: binary_sensor.hallway_motion (trigger).\nTo add: an outdoor light for the garden.');
    expect(requestText(3)).toContain('listed no hardware');
  });

  it('answers questions about the home from the compact map', async () => {
    const handlers = await setup();
    // A plain question about the present state: answered in one call, no classifier first.
    world.fake?.enqueue(reply.text('It is 21.5 °C in the living room.'));
    expect((await handlers.ha('what is the living room temperature?', turn())).text).toBe('It is 21.5 °C in the living room.');
    expect(world.fake?.requests).toHaveLength(1);
    expect(requestText(1)).toContain('sensor.living_room_temperature \\"Living Room Temperature\\" 21.5');
  });

  it('without an LLM, leaves what it cannot do to the orchestrator', async () => {
    const handlers = await setup(false);
    expect(await handlers.ha('create an automation that waters the plants', turn())).toMatchObject({ fallthrough: true, agent: 'home-assistant-agent' });
    expect((await handlers.ha('list my devices', turn())).text).toContain('Front Door Lock');
  });
});
