// Main's one-call turn (issue 15) in the real runtime, with its default routing: the demo home,
// the embedded broker, SQLite, and a scripted Anthropic model that answers main's conversation
// with tool calls. A device command, a state question and chit-chat each cost one model call;
// the tool's calls still go through the one-off actuator's checks, the owner's "yes" for a lock,
// and the restricted channels' refusals.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalTopicsSection } from '../../../server/src/bus/external-reads.ts';
import { loadConfig } from '../../../server/src/config/load.ts';
import { startRuntime, type Runtime } from '../../../server/src/runtime.ts';
import { CLASSIFIER_SYSTEM } from '../../../server/src/agents/main/routing/classifier.ts';
import { BUILD_AGENT_RESULT } from '../../../server/src/agents/main/conversation/home-tools.ts';
import type { TurnContext } from '../../../server/src/agents/main/turn-context.ts';
import type { ChatEvent } from '../../../server/src/contract/chat.ts';
import { FAKE_KEYS, reply, startFakeLlm, systemText, turnContext, userWords, type FakeLlmServer, type FakeReply, type FakeRequest } from '../../helpers/fake-llm/index.ts';
import { quietLogger } from '../../helpers/ha.ts';
import { makeTempDir } from '../../helpers/tmp.ts';

let runtime: Runtime;
let fake: FakeLlmServer;
const dir = makeTempDir();
const owner: TurnContext = { user: { id: 'owner' }, channel: 'panel', conversationId: 'one-call' };

const systemOf = systemText;
const lastUser = userWords;

function toolNames(r: FakeRequest): string[] {
  return ((r.body.tools ?? []) as { name: string }[]).map((t) => t.name);
}

/** The model: tool calls for commands and rules, text for the rest; the classifier never. */
function answer(r: FakeRequest): FakeReply {
  if (systemOf(r) === CLASSIFIER_SYSTEM) return reply.text('OTHER');
  if (systemOf(r).includes('You design reactive rules')) return reply.text('{}');
  const messages = (r.body.messages ?? []);
  const last = JSON.stringify(messages[messages.length - 1]);
  if (last.includes(BUILD_AGENT_RESULT)) return reply.tool('spawn_agent', { name: 'greeter', type: 'dynamic', description: 'Says hello', code: 'async function handleTask(agent, p) { return "hello " + p; }' });
  if (last.includes('tool_result')) return reply.text('Your greeter agent is running.');
  const text = lastUser(r);
  if (text === 'make me an agent that greets people') return reply.tool('build_agent', { purpose: 'greets people' });
  if (text === 'turn on the hallway light') return reply.tool('control_devices', { calls: [{ domain: 'light', service: 'turn_on', entity_id: 'light.hallway' }] });
  if (text === 'unlock the front door') return reply.tool('control_devices', { calls: [{ domain: 'lock', service: 'unlock', entity_id: 'lock.front_door' }] });
  if (text === 'turn on the attic heater') return reply.tool('control_devices', { calls: [{ domain: 'switch', service: 'turn_on', entity_id: 'switch.attic_heater' }] });
  return reply.text(text.includes('kitchen') ? 'The kitchen light is off.' : 'Why did the thermostat go to school? To get a little warmer.');
}

beforeAll(async () => {
  fake = await startFakeLlm({ respond: answer });
  const env = { WACTORZ_DEMO: 'true', LLM_PROVIDER: 'anthropic', ANTHROPIC_API_KEY: FAKE_KEYS.anthropic, ANTHROPIC_BASE_URL: fake.anthropicBaseUrl, MQTT_READ_TOPICS: 'zigbee2mqtt/+' };
  const config = { ...loadConfig({ env, argv: ['--data-dir', dir.path, '--mqtt-embedded-port', '0'], optionsFile: join(dir.path, 'none.json') }), port: 0 };
  runtime = await startRuntime({ config, logger: quietLogger() });
});

afterAll(async () => {
  await runtime.stop();
  await fake.close();
  dir.cleanup();
});

async function turn(text: string, ctx: Partial<TurnContext> = {}) {
  await runtime.orchestrator.idle();
  fake.reset();
  fake.respond(answer);
  const r = await runtime.orchestrator.ask(text, { ...owner, ...ctx });
  await runtime.orchestrator.idle();
  return { ...r, requests: [...fake.requests] };
}

function doneOf(r: { events: ChatEvent[] }): Extract<ChatEvent, { type: 'done' }> {
  const done = r.events.find((e) => e.type === 'done');
  if (done?.type !== 'done') throw new Error('the turn has no done event');
  return done;
}

describe("main's one-call turn in the runtime (the default routing)", () => {
  it('turns on a light with one model call: no classifier, no resolver; the reply is the actuator\'s', async () => {
    expect(runtime.haDemo?.getState('light.hallway')?.state).toBe('off');
    const r = await turn('turn on the hallway light');
    expect(r.requests).toHaveLength(1);
    const [call] = r.requests;
    expect(toolNames(call)).toEqual(expect.arrayContaining(['control_devices', 'propose_rule', 'ask_home_assistant']));
    // The relevant part of the home, not the whole map: the hallway light, not the kitchen's; for
    // this turn only (in front of the user's words), so the system prompt stays cacheable.
    const map = turnContext(call).split('Home map for this request')[1] ?? '';
    expect(systemOf(call)).not.toContain('Home map for this request');
    expect(map).toContain('light.hallway');
    expect(map).not.toContain('light.kitchen');
    expect(r.reply).toBe('Done: turn on Hallway Light.');
    expect(r.route).toBe('actuate');
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'tool', name: 'ha.call_service', ok: true, entityIds: ['light.hallway'] }));
    expect(runtime.haDemo?.getState('light.hallway')?.state).toBe('on');
  });

  it('keeps the conversation well formed: the next exchange carries the tool result and the reply', async () => {
    const r = await turn('what about the kitchen light?');
    expect(r.requests).toHaveLength(1);
    const messages = JSON.stringify(r.requests[0].body.messages);
    expect(messages).toContain('tool_result');
    expect(messages).toContain('Done: turn on Hallway Light.');
    expect(r.reply).toBe('The kitchen light is off.');
    expect(r.route).toBe('other');
  });

  it('answers chit-chat with one call', async () => {
    const r = await turn('tell me a joke', { conversationId: 'jokes' });
    expect(r.requests).toHaveLength(1);
    expect(r.reply).toContain('thermostat');
    expect(r.route).toBe('other');
  });

  it('asks the owner before unlocking, and only the owner\'s "yes" unlocks (no model call for the yes)', async () => {
    const before = runtime.haDemo?.getState('lock.front_door')?.state;
    const asked = await turn('unlock the front door', { conversationId: 'lock' });
    expect(asked.requests).toHaveLength(1);
    expect(asked.reply).toMatch(/This would unlock Front Door.*Reply "yes"/s);
    expect(runtime.haDemo?.getState('lock.front_door')?.state).toBe(before);
    // The answer says that it waits for a yes/no, so Assist keeps listening and chat apps show buttons.
    expect(doneOf(asked).awaiting).toBe('confirmation');
    const yes = await turn('yes', { conversationId: 'lock' });
    expect(doneOf(yes).awaiting).toBeUndefined();
    expect(yes.requests).toHaveLength(0);
    expect(yes.reply).toMatch(/^Done: unlock Front Door/);
    expect(runtime.haDemo?.getState('lock.front_door')?.state).toBe('unlocked');
  });

  it('refuses a sensitive tool call from the MQTT broker outright, and its "yes" confirms nothing', async () => {
    runtime.haDemo?.setState('lock.front_door', 'locked');
    const refused = await turn('unlock the front door', { channel: 'mqtt', conversationId: 'broker' });
    expect(refused.reply).toMatch(/^⛔ Operating .* is only for the owner/);
    expect(doneOf(refused).awaiting).toBeUndefined();
    const yes = await turn('yes', { channel: 'mqtt', conversationId: 'broker' });
    expect(yes.reply).not.toMatch(/Done/);
    expect(runtime.haDemo?.getState('lock.front_door')?.state).toBe('locked');
  });

  it('checks the calls the model chose: an entity that does not exist runs nothing', async () => {
    const r = await turn('turn on the attic heater', { conversationId: 'attic' });
    expect(r.requests).toHaveLength(1);
    expect(r.reply).toMatch(/^Nothing was done: .*switch\.attic_heater/);
  });

  it('keeps the agent format out of the one-call prompt; build_agent brings it, and the agent is spawned', async () => {
    const light = await turn('tell me a joke', { conversationId: 'prompt-size' });
    expect(systemOf(light.requests[0])).not.toContain('Agent SDK reference');
    expect(toolNames(light.requests[0])).not.toContain('spawn_agent');
    const r = await turn('make me an agent that greets people', { conversationId: 'build' });
    expect(r.requests).toHaveLength(3);
    expect(systemOf(r.requests[1])).toContain('Agent SDK reference');
    // The device topics agents may read come with the format, as in the rule planner's prompt.
    expect(systemOf(r.requests[1])).toContain(externalTopicsSection(['zigbee2mqtt/+']));
    expect(systemOf(light.requests[0])).not.toContain('DEVICE TOPICS OUTSIDE WACTORZ');
    expect(toolNames(r.requests[1])).toContain('spawn_agent');
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'spawn', name: 'greeter', ok: true }));
    expect(r.reply).toContain('Your greeter agent is running.');
    expect(runtime.spawner.list().map((a) => a.name)).toContain('greeter');
  });

  it('offers a restricted turn no agent building, only the home tools and delegation', async () => {
    const r = await turn('tell me a joke', { channel: 'mqtt', conversationId: 'broker-joke' });
    expect(toolNames(r.requests[0]).sort()).toEqual(['ask_home_assistant', 'control_devices', 'delegate_task', 'propose_rule']);
  });
});
