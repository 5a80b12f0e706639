import { afterEach, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../../../server/src/agents/main/events.ts';
import type { IntentHandlers } from '../../../../server/src/agents/main/intents.ts';
import { PLANNER_MISSING } from '../../../helpers/orchestrator-parts.ts';
import { NO_LLM_ANSWER } from '../../../../server/src/agents/main/routing/no-llm.ts';
import type { HaClient } from '../../../../server/src/ha/client.ts';
import { reply } from '../../../helpers/fake-llm/index.ts';
import { EchoAgent, deltas, harness, type Harness } from './harness.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

/** Records what each intent handler received. */
function recordingIntents() {
  const seen: { handler: string; text: string; options?: unknown }[] = [];
  const intents: IntentHandlers = {
    actuate: async (text) => (seen.push({ handler: 'actuate', text }), { text: 'Done: light on.', agent: 'one-off-actuator' }),
    ha: async (text) => (seen.push({ handler: 'ha', text }), { text: 'You have 5 lights.', agent: 'home-assistant-agent' }),
    pipeline: async (text, _ctx, options) => (seen.push({ handler: 'pipeline', text, options }), { text: 'Proposed a rule.', agent: 'planner' }),
    followUps: [],
  };
  return { seen, intents };
}

/** A Home Assistant whose built-in conversation agent only knows "turn on the kitchen light". */
function assistOnly(): { ha: HaClient; asked: string[] } {
  const asked: string[] = [];
  const ha = {
    conversation: async (text: string) => {
      asked.push(text);
      const ok = /kitchen light/.test(text);
      return {
        conversation_id: null,
        response: {
          response_type: ok ? 'action_done' : 'error',
          language: 'en',
          speech: { plain: { speech: ok ? 'Turned on Kitchen Light' : "Sorry, I couldn't understand that" } },
          data: ok ? { success: [{ id: 'light.kitchen', name: 'Kitchen Light', type: 'entity' }] } : { code: 'no_intent_match' },
        },
      };
    },
  } as unknown as HaClient;
  return { ha, asked };
}

describe('intent routing', () => {
  it('sends each classified intent to its handler, with one cheap classifier call and no conversation call', async () => {
    const { seen, intents } = recordingIntents();
    h = await harness({ deps: { intents } });
    const labels: Record<string, string> = { 'turn on the kitchen light': 'ACTUATE', 'how many lights do I have': 'HA', 'when the door opens notify me': 'PIPELINE' };
    h.script.classify = (text) => labels[text] ?? 'OTHER';

    expect(await h.turn('turn on the kitchen light')).toMatchObject({ route: 'actuate', agent: 'one-off-actuator', reply: 'Done: light on.' });
    expect(await h.turn('how many lights do I have')).toMatchObject({ route: 'ha', agent: 'home-assistant-agent', reply: 'You have 5 lights.' });
    expect(await h.turn('when the door opens notify me')).toMatchObject({ route: 'pipeline', agent: 'planner' });
    expect(seen).toEqual([
      { handler: 'actuate', text: 'turn on the kitchen light' },
      { handler: 'ha', text: 'how many lights do I have' },
      { handler: 'pipeline', text: 'when the door opens notify me', options: { bypassApproval: false, mode: 'pipeline' } },
    ]);
    expect(h.calls('classifier')).toHaveLength(3);
    expect(h.calls('classifier')[0].body).toMatchObject({ max_tokens: 5 });
    expect(h.calls('conversation')).toHaveLength(0);
    expect(h.llm.ledger.report({ period: 'all', groupBy: 'callSite' }).groups.map((g) => g.key)).toEqual(['classifier']);
  });

  it('answers OTHER with main’s own streamed conversation, deltas adding up to the reply', async () => {
    h = await harness();
    h.script.chat = () => reply.text('Hello Alice, how can I help with your home today?');
    const r = await h.turn('hi there');
    expect(r).toMatchObject({ route: 'other', agent: 'main', reply: 'Hello Alice, how can I help with your home today?' });
    expect(r.events.filter((e) => e.type === 'delta').length).toBeGreaterThan(3);
    expect(deltas(r.events)).toBe(r.reply);
    expect(r.events[0]).toMatchObject({ type: 'start', conversationId: 'c1' });
    expect(r.events.at(-1)).toMatchObject({ type: 'done', reply: r.reply });
  });

  it('falls back to OTHER when the classifier answers nonsense, fails, or is late', async () => {
    const { seen, intents } = recordingIntents();
    h = await harness({ deps: { classifierTimeoutMs: 5_000, intents } });
    h.script.chat = (text) => `main answered: ${text}`;

    h.script.classify = () => 'I think this is about lights';
    expect(await h.turn('nonsense label')).toMatchObject({ route: 'other', reply: 'main answered: nonsense label' });

    h.script.classify = () => reply.error(400, { message: 'bad request' });
    expect(await h.turn('failing classifier')).toMatchObject({ route: 'other', reply: 'main answered: failing classifier' });

    h.script.classify = () => reply.hang();
    const late = h.turn('slow classifier');
    await h.fake.waitForRequest(h.fake.requests.length + 1);
    await h.clock.advance(5_000);
    expect(await late).toMatchObject({ route: 'other', reply: 'main answered: slow classifier' });
    expect(seen).toEqual([]);
  });

  it('lets HA fall through to main when the HA handler cannot help', async () => {
    const { ha } = assistOnly();
    h = await harness({ ha });
    h.script.classify = () => 'HA';
    h.script.chat = () => 'Your HA has 12 entities.';
    const r = await h.turn('summarise my home');
    expect(r).toMatchObject({ route: 'other', reply: 'Your HA has 12 entities.' });
  });

  it('defaults ACTUATE to Home Assistant’s own conversation agent and PIPELINE to an honest answer', async () => {
    const { ha, asked } = assistOnly();
    h = await harness({ ha });
    h.script.classify = (text) => (text.includes('light') ? 'ACTUATE' : 'PIPELINE');
    const r = await h.turn('turn on the kitchen light');
    expect(r).toMatchObject({ route: 'actuate', reply: 'Turned on Kitchen Light' });
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'tool', name: 'ha.conversation', ok: true, entityIds: ['light.kitchen'] }));
    expect(asked).toEqual(['turn on the kitchen light']);
    expect(await h.turn('every night at 11 lock the door')).toMatchObject({ route: 'pipeline', reply: PLANNER_MISSING });
  });
});

describe('explicit prefixes and mentions', () => {
  it('send coordinate:, plan:, pipeline: and their bypass forms to the planner without classifying', async () => {
    const { seen, intents } = recordingIntents();
    h = await harness({ deps: { intents } });
    for (const t of ['coordinate: weather and news', 'plan: read the manual', 'pipeline: when the door opens notify me', 'pipeline! when it rains close the cover', 'coordinate! both things', '@planner do a big task', '@planner! do it now']) {
      expect((await h.turn(t)).route).toBe('pipeline');
    }
    expect(seen.map((s) => [s.text, s.options])).toEqual([
      ['weather and news', { bypassApproval: false, mode: 'task' }],
      ['read the manual', { bypassApproval: false, mode: 'task' }],
      ['when the door opens notify me', { bypassApproval: false, mode: 'pipeline' }],
      ['when it rains close the cover', { bypassApproval: true, mode: 'pipeline' }],
      ['both things', { bypassApproval: true, mode: 'task' }],
      ['do a big task', { bypassApproval: false, mode: 'auto' }],
      ['do it now', { bypassApproval: true, mode: 'auto' }],
    ]);
    expect(h.calls('classifier')).toHaveLength(0);
  });

  it('answers an empty prefix with an example instead of calling the planner', async () => {
    const { seen, intents } = recordingIntents();
    h = await harness({ deps: { intents } });
    expect((await h.turn('pipeline:')).reply).toMatch(/after "pipeline:", e.g./);
    expect(seen).toEqual([]);
  });

  it('sends @agent messages straight to the agent (text, or a JSON payload), with no LLM call', async () => {
    h = await harness();
    const agent = await h.system.spawn(new EchoAgent({ name: 'weather-agent' }));
    expect(await h.turn('@weather-agent what about Athens?')).toMatchObject({ route: 'mention', agent: 'weather-agent', reply: 'echo: what about Athens?' });
    const r = await h.turn('@weather-agent {"city": "Athens"}');
    expect(r.reply).toContain('"echoed": true');
    expect(agent.tasks).toEqual(['what about Athens?', { city: 'Athens' }]);
    expect(h.fake.requests).toHaveLength(0);
  });

  it('routes @main to main’s conversation without classifying', async () => {
    h = await harness();
    h.script.chat = () => 'main here';
    expect(await h.turn('@main turn on the lights')).toMatchObject({ route: 'other', reply: 'main here' });
    expect(h.calls('classifier')).toHaveLength(0);
  });

  it('answers an unknown agent with the close names it knows', async () => {
    h = await harness();
    await h.system.spawn(new EchoAgent({ name: 'weather-agent' }));
    const r = await h.turn('@wether-agent hi');
    expect(r.reply).toBe('There is no agent named wether-agent. Did you mean @weather-agent?');
    expect((await h.turn('@zzz hi')).reply).toBe('There is no agent named zzz. /agents lists the running agents.');
  });

  it('sends the next message to the agent named alone, once', async () => {
    h = await harness();
    await h.system.spawn(new EchoAgent({ name: 'calc' }));
    h.script.chat = () => 'main again';
    expect((await h.turn('@calc')).reply).toBe('Your next message goes to @calc.');
    expect(await h.turn('2 + 2')).toMatchObject({ route: 'mention', reply: 'echo: 2 + 2' });
    expect(await h.turn('and now?')).toMatchObject({ route: 'other', reply: 'main again' });
  });

  it('a bare @recipe that gets spawned sends the next message to it, as it says', async () => {
    // The recipe shows up between the name lookup and the delivery (the recipes were reloaded).
    let lookups = 0;
    h = await harness({
      deps: {
        catalog: {
          recipes: () => (lookups++ === 0 ? [] : [{ name: 'weather', description: 'Weather on request' }]),
          spawn: async (name) => {
            const a = await h.system.spawn(new EchoAgent({ name }));
            return { status: 'spawned', id: a.id, name, type: 'dynamic', warnings: [] };
          },
        },
      },
    });
    h.script.chat = () => 'main again';
    expect((await h.turn('@weather')).reply).toBe('Your next message goes to @weather.');
    expect(await h.turn('Athens')).toMatchObject({ route: 'mention', reply: 'echo: Athens' });
    expect(await h.turn('and now?')).toMatchObject({ route: 'other', reply: 'main again' });
  });

  it('spawns a catalog recipe before delivering to it', async () => {
    const spawned: string[] = [];
    h = await harness({
      deps: {
        catalog: {
          recipes: () => [{ name: 'weather', description: 'Weather on request' }],
          spawn: async (name) => {
            spawned.push(name);
            const a = await h.system.spawn(new EchoAgent({ name }));
            return { status: 'spawned', id: a.id, name, type: 'dynamic', warnings: [] };
          },
        },
      },
    });
    const r = await h.turn('@weather Athens');
    expect(spawned).toEqual(['weather']);
    expect(r.reply).toBe('(Spawned weather from the catalog.)\n\necho: Athens');
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'spawn', name: 'weather', ok: true }));
  });

  it('reaches an agent on another node over agents/by-name/{name}/task and matches the reply by correlation id', async () => {
    h = await harness();
    h.spawner.addRemote('kitchen-cam', 'rpi-kitchen');
    // The remote node: answers each task on its reply topic.
    h.bus.subscribe('agentTaskByName', { name: 'kitchen-cam' }, (env) => {
      h.bus.publishRaw(env.reply_topic!, { status: 'ok', correlation_id: env.correlation_id, data: { seen: 'a cat', asked: env.payload } });
    });
    const r = await h.turn('@kitchen-cam what do you see?');
    expect(r.reply).toContain('"seen": "a cat"');
    expect(r.reply).toContain('"asked": "what do you see?"');
    expect(h.bus.sentTo('wactorz/agents/by-name/kitchen-cam/task')).toEqual([expect.objectContaining({ payload: 'what do you see?', reply_topic: expect.stringMatching(/^wactorz\/agents\/main\/replies\//) as string })]);
  });

  it('reaches an agent moved from here to a node, not its stopped local copy', async () => {
    h = await harness();
    // Migrated: the local actor was stopped and the spawn registry now names the node.
    await h.system.spawn(new EchoAgent({ name: 'kitchen-cam' }));
    await h.system.stopActor('kitchen-cam', 'stopped');
    h.spawner.addRemote('kitchen-cam', 'rpi-kitchen');
    h.bus.subscribe('agentTaskByName', { name: 'kitchen-cam' }, (env) => {
      h.bus.publishRaw(env.reply_topic!, { status: 'ok', correlation_id: env.correlation_id, data: 'a cat, from the node' });
    });
    expect((await h.turn('@kitchen-cam what do you see?')).reply).toBe('a cat, from the node');
  });
});

describe('no LLM configured', () => {
  it('still runs commands and @agents, passes device requests to HA, and explains how to configure a provider otherwise', async () => {
    const { ha, asked } = assistOnly();
    h = await harness({ noLlm: true, ha });
    await h.system.spawn(new EchoAgent({ name: 'calc' }));
    expect(h.orch.llmReady).toBe(false);
    expect((await h.turn('/help')).reply).toContain('/agents');
    expect((await h.turn('@calc 1+1')).reply).toBe('echo: 1+1');
    expect(await h.turn('turn on the kitchen light')).toMatchObject({ route: 'actuate', reply: 'Turned on Kitchen Light' });
    expect(await h.turn('write me a poem about lamps')).toMatchObject({ route: 'no_llm', reply: NO_LLM_ANSWER });
    const unknown = await h.turn('turn on the disco ball');
    expect(unknown.reply).toContain("Sorry, I couldn't understand that");
    expect(unknown.reply).toContain(NO_LLM_ANSWER);
    expect(asked).toEqual(['turn on the kitchen light', 'turn on the disco ball']);
    expect(h.fake.requests).toHaveLength(0);
  });
});

describe('concurrent conversations', () => {
  it('never mix two users’ answers, even when the first answer finishes last', async () => {
    h = await harness();
    let releaseAlice: () => void = () => {};
    const aliceHeld = new Promise<void>((r) => (releaseAlice = r));
    h.script.chat = async (text) => {
      if (text.includes('alice')) await aliceHeld;
      return reply.text(`answer for ${text}`, { chunks: ['answer ', 'for ', text] });
    };
    const a = h.turn('question from alice', { user: { id: 'alice' }, conversationId: 'same-id' });
    await h.fake.waitForRequest(1);
    const b = await h.turn('question from bob', { user: { id: 'bob' }, conversationId: 'same-id' });
    releaseAlice();
    const ra = await a;
    expect(b.reply).toBe('answer for question from bob');
    expect(ra.reply).toBe('answer for question from alice');
    expect(deltas(ra.events)).toBe(ra.reply);
    expect(deltas(b.events)).toBe(b.reply);
    expect(new Set([...ra.events, ...b.events].flatMap((e) => (e.type === 'start' || e.type === 'done' ? [e.turnId] : []))).size).toBe(2);
    // Same client id, two users: two conversations, each with only its own exchange.
    expect(h.orch.history.get('alice', 'same-id')?.messages.map((m) => m.text)).toEqual(['question from alice', 'answer for question from alice']);
    expect(h.orch.history.get('bob', 'same-id')?.messages.map((m) => m.text)).toEqual(['question from bob', 'answer for question from bob']);
  });

  it('answers one conversation’s messages in the order they were sent', async () => {
    h = await harness();
    h.script.chat = (text) => `re: ${text}`;
    const [one, two] = await Promise.all([h.turn('first'), h.turn('second')]);
    expect([one.reply, two.reply]).toEqual(['re: first', 're: second']);
    const second = h.calls('conversation')[1].body.messages as { role: string; content: unknown }[];
    expect(second.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  });
});

describe('monitor notifications', () => {
  it('are prepended to the next answer with their icon, once', async () => {
    h = await harness();
    h.script.chat = () => 'fine';
    h.orch.notifications.notify({ level: 'critical', agent: 'weather-agent', message: 'failed to start (boom).', at: 0 });
    h.orch.notifications.notify({ level: 'recovered', agent: 'energy', message: 'running normally again.', at: 0 });
    const r = await h.turn('how are things?');
    expect(r.reply).toBe('🔴 weather-agent: failed to start (boom).\n✅ energy: running normally again.\n\nfine');
    expect(r.events.filter((e) => e.type === 'notification')).toHaveLength(2);
    expect((await h.turn('and now?')).reply).toBe('fine');
  });
});

describe('a reader that leaves', () => {
  it('cancels the turn’s LLM call', async () => {
    h = await harness();
    h.script.chat = () => ({ text: 'one two three four five', hangAfterChunks: 2 });
    const iterator = h.orch.process('tell me a story', { user: { id: 'alice' }, channel: 'test', conversationId: 'c9' })[Symbol.asyncIterator]();
    for (;;) {
      const next: IteratorResult<ChatEvent> = await iterator.next();
      if (next.done === true || next.value.type === 'delta') break;
    }
    await iterator.return?.(undefined);
    const req = h.calls('conversation')[0];
    await req.closed;
    expect(req.abortedByClient).toBe(true);
  });
});
