// Whole conversations through the orchestrator with its real neighbours: the demo home over HA's
// WebSocket/REST protocol, the LLM service through the real SDK against the fake LLM server, the
// real spawner running sandboxed DynamicAgents, and the monitor watching them on the bus.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MemoryBus } from '../../../server/src/bus/memory-bus.ts';
import { ActorSystem } from '../../../server/src/core/system.ts';
import type { DemoHome } from '../../../server/src/ha/demo/demo-home.ts';
import type { LiveHaClient } from '../../../server/src/ha/live-client.ts';
import { createLlm } from '../../../server/src/llm/index.ts';
import { openDatabase, type Db } from '../../../server/src/store/database.ts';
import { SqliteKeyValueStore } from '../../../server/src/store/kv.ts';
import { createAgentRuntime, type AgentRuntime } from '../../../server/src/agents/spawner/index.ts';
import { startMonitor, startOrchestrator, type OrchestratorRuntime } from '../../../server/src/agents/main/start.ts';
import { NotificationQueue } from '../../../server/src/agents/main/notification-queue.ts';
import type { TurnContext } from '../../../server/src/agents/main/turn-context.ts';
import { PLANNER_MISSING, standInParts } from '../../helpers/orchestrator-parts.ts';
import { NO_LLM_ANSWER } from '../../../server/src/agents/main/routing/no-llm.ts';
import { CLASSIFIER_SYSTEM } from '../../../server/src/agents/main/routing/classifier.ts';
import { FACTS_SYSTEM } from '../../../server/src/agents/main/memory/facts-extractor.ts';
import { fakeLlmConfig, reply, startFakeLlm, systemText, userWords, type FakeLlmServer, type FakeRequest } from '../../helpers/fake-llm/index.ts';
import { connectClient, startDemoHome } from '../../helpers/ha.ts';
import { makeTempDir } from '../../helpers/tmp.ts';

const CODE = 'async function handleTask(agent, payload) { return { city: payload.city, temp: 21 }; }';
const FLAKY = "async function process(agent) { throw new Error('sensor offline'); }";

const lastUser = userWords;

/** What the fake LLM answers: by call site, then by the user's words. */
function respond(req: FakeRequest) {
  const text = lastUser(req);
  if (req.body.system === CLASSIFIER_SYSTEM) {
    if (/^turn on|^switch/.test(text)) return reply.text('ACTUATE');
    if (/^what is/.test(text)) return reply.text('HA');
    if (/^when /.test(text)) return reply.text('PIPELINE');
    return reply.text('OTHER');
  }
  if (req.body.system === FACTS_SYSTEM) {
    return reply.text(text.includes('I live in Athens') ? '{"facts":[{"key":"home_city","value":"Athens","category":"location"}]}' : '{"facts":[]}');
  }
  if (text.includes('weather agent')) return reply.text(`On it.\n<spawn>{"name": "weather-agent", "type": "dynamic", "poll_interval": 3600, "description": "Weather on request", "code": "${CODE}"}</spawn>`);
  if (text.includes('flaky agent')) return reply.text(`<spawn>{"name": "flaky-sensor", "type": "dynamic", "poll_interval": 3600, "code": "${FLAKY}"}</spawn>Started.`);
  if (text.includes('ask it about Paris')) return reply.text('Asking. <delegate agent="weather-agent">{"city": "Paris"}</delegate>');
  if (text.includes('remove it')) return reply.text('Removing it. <delete>weather-agent</delete>');
  if (text.includes('where do I live')) return reply.text(systemText(req).includes('home_city: Athens') ? 'You live in Athens.' : 'I do not know.');
  return reply.text(`You said: ${text}`);
}

let home: DemoHome;
let ha: LiveHaClient;
let fake: FakeLlmServer;
let db: Db;
let system: ActorSystem;
let agents: AgentRuntime;
let main: OrchestratorRuntime;
const dir = makeTempDir();
const ctx: TurnContext = { user: { id: 'alex', name: 'Alex' }, channel: 'test', conversationId: 'home' };

beforeAll(async () => {
  home = await startDemoHome();
  ha = await connectClient(home);
  await ha.ready();
  fake = await startFakeLlm({ respond });
  db = openDatabase({ dataDir: dir.path });
  const bus = new MemoryBus('wactorz', { record: false });
  system = new ActorSystem({ bus, store: new SqliteKeyValueStore(db) });
  await system.start();
  const llm = createLlm(fakeLlmConfig(fake, 'anthropic'), { db });
  agents = createAgentRuntime({ system, db, llm, ha, recipesDir: null });
  await agents.start();
  const notifications = await startMonitor(system, { recoveryGraceMs: 20 });
  main = await startOrchestrator({ db, clock: system.clock, llm, system, bus, ...standInParts(ha), spawner: agents.spawner, notifications });
});

afterAll(async () => {
  await main.stop();
  await agents.stop();
  await system.stop();
  await ha.stop();
  await home.stop();
  await fake.close();
  db.close();
  dir.cleanup();
});

describe('a conversation with the orchestrator', () => {
  it('runs main and monitor as protected actors', async () => {
    expect(system.get('main')).toMatchObject({ isProtected: true, state: 'running' });
    expect(system.get('monitor')).toMatchObject({ isProtected: true, state: 'running' });
    expect((await main.orchestrator.ask('/agents', ctx)).reply).toMatch(/main +orchestrator · running · protected/);
  });

  it('ACTUATE: turns on the demo home’s kitchen light through HA’s own conversation agent', async () => {
    const r = await main.orchestrator.ask('turn on the kitchen light', ctx);
    expect(r).toMatchObject({ route: 'actuate', reply: 'Turned on Kitchen Light' });
    expect(home.getState('light.kitchen')?.state).toBe('on');
  });

  it('HA: answers a state question from the demo home', async () => {
    const r = await main.orchestrator.ask('what is the living room temperature', ctx);
    expect(r).toMatchObject({ route: 'ha', reply: 'Living Room Temperature is 21.5 °C' });
  });

  it('PIPELINE: says honestly that the planner is not plugged in', async () => {
    expect(await main.orchestrator.ask('when the front door opens, notify me', ctx)).toMatchObject({ route: 'pipeline', reply: PLANNER_MISSING });
  });

  it('OTHER: spawns a real sandboxed agent from a <spawn> block, talks to it, delegates to it, deletes it', async () => {
    const spawned = await main.orchestrator.ask('spawn a weather agent please', ctx);
    expect(spawned.reply).toBe('On it.\n\n✅ weather-agent (dynamic) spawned.');
    expect(system.get('weather-agent')?.state).toBe('running');
    expect(agents.spawner.list().map((a) => a.name)).toContain('weather-agent');

    const direct = await main.orchestrator.ask('@weather-agent {"city": "Athens"}', ctx);
    expect(direct.reply).toBe('```json\n{\n  "city": "Athens",\n  "temp": 21\n}\n```');

    const delegated = await main.orchestrator.ask('ask it about Paris', ctx);
    expect(delegated.reply).toContain('↪️ weather-agent: ```json\n{\n  "city": "Paris",\n  "temp": 21\n}\n```');

    const removed = await main.orchestrator.ask('remove it now', ctx);
    expect(removed.reply).toBe('Removing it.\n\n🗑️ weather-agent deleted.');
    expect(system.get('weather-agent')).toBeUndefined();
    expect(agents.spawner.list().map((a) => a.name)).not.toContain('weather-agent');
  });

  it('remembers facts from one conversation in the next', async () => {
    await main.orchestrator.ask('I live in Athens, by the way', ctx);
    await main.orchestrator.idle();
    expect(main.orchestrator.facts.get('home_city')).toMatchObject({ value: 'Athens', source: { kind: 'chat', userId: 'alex', conversationId: 'home' } });
    expect((await main.orchestrator.ask('where do I live?', { ...ctx, conversationId: 'another' })).reply).toBe('You live in Athens.');
  });

  it('prepends the monitor’s notice about a failing agent to the next answer', async () => {
    const started = await main.orchestrator.ask('start a flaky agent', ctx);
    expect(started.reply).toContain('✅ flaky-sensor (dynamic) spawned.');
    await vi.waitFor(() => expect(main.orchestrator.notifications.size).toBeGreaterThan(0), { timeout: 10_000 });
    const next = await main.orchestrator.ask('hello again', ctx);
    expect(next.reply).toMatch(/^🟡 flaky-sensor: process\(\) threw .*sensor offline.*; restarting it \(1\/3\)\./);
    expect(next.reply).toMatch(/You said: hello again$/);
    expect(next.events).toContainEqual(expect.objectContaining({ type: 'notification', level: 'warning', agent: 'flaky-sensor' }));
    await main.orchestrator.ask('/agents delete flaky-sensor', ctx);
    await main.orchestrator.idle();
  });
});

describe('with no LLM configured', () => {
  it('still controls the demo home and explains how to configure a provider', async () => {
    const noLlmDb = openDatabase({ dataDir: ':memory:' });
    const sys = new ActorSystem({ bus: new MemoryBus('wactorz', { record: false }) });
    await sys.start();
    const llm = createLlm(fakeLlmConfig(fake, 'none'), { db: noLlmDb });
    const before = fake.requests.length;
    const o = await startOrchestrator({ db: noLlmDb, clock: sys.clock, llm, system: sys, bus: undefined, ...standInParts(ha), spawner: undefined, notifications: new NotificationQueue() });
    try {
      expect(await o.orchestrator.ask('turn off the kitchen light', ctx)).toMatchObject({ route: 'actuate', reply: 'Turned off Kitchen Light' });
      expect(home.getState('light.kitchen')?.state).toBe('off');
      expect(await o.orchestrator.ask('tell me a joke', ctx)).toMatchObject({ route: 'no_llm', reply: NO_LLM_ANSWER });
      expect((await o.orchestrator.ask('/budget', ctx)).reply).toMatch(/^LLM budget:/);
      expect(fake.requests.length).toBe(before);
    } finally {
      await o.stop();
      await sys.stop();
      noLlmDb.close();
    }
  });
});
