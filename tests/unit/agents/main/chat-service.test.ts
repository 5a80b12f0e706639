import { afterEach, describe, expect, it, vi } from 'vitest';
import { createChatService, userOf } from '../../../../server/src/services/chat.ts';
import { MAX_AGENT_TURNS, MainActor } from '../../../../server/src/agents/main/main-actor.ts';
import type { Identity } from '../../../../server/src/contract/identity.ts';
import { ChatEvent } from '../../../../server/src/contract/chat.ts';
import { reply } from '../../../helpers/fake-llm/index.ts';
import { EchoAgent, harness, type Harness } from './harness.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const alex: Identity = { userId: 'u-alex', userName: 'alex', displayName: 'Alex', via: 'ingress' };
const sam: Identity = { userId: 'u-sam', userName: 'sam', displayName: null, via: 'ingress' };

async function collect(it: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const out: ChatEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

describe('the HTTP ChatService over process()', () => {
  it('streams the orchestrator\'s events unchanged (deltas, activities, exactly one done), each valid for the API schema', async () => {
    h = await harness();
    h.script.chat = () => 'Starting it. <spawn>{"name": "lamp-watch", "type": "llm", "system_prompt": "watch"}</spawn>';
    const chat = createChatService(h.orch);
    const ac = new AbortController();
    const events = await collect(chat.process('watch my lamps', { identity: alex, signal: ac.signal, conversationId: 'k1', agent: undefined }));
    for (const e of events) expect(ChatEvent.safeParse(e).success, JSON.stringify(e)).toBe(true);
    expect(events.filter((e) => e.type === 'done')).toMatchObject([{ type: 'done', conversationId: 'k1', reply: 'Starting it.\n\n✅ lamp-watch (llm) spawned.', agent: 'main', route: 'other' }]);
    expect(events).toContainEqual({ type: 'spawn', name: 'lamp-watch', ok: true, text: 'lamp-watch (llm) spawned.', agentType: 'llm', status: 'spawned' });
  });

  it('gives each HA user their own conversations, listed and read back with masked text', async () => {
    h = await harness();
    h.script.chat = (text) => `re: ${text}`;
    const chat = createChatService(h.orch);
    const signal = new AbortController().signal;
    await collect(chat.process('hello from alex', { identity: alex, signal, conversationId: 'k1', agent: undefined }));
    await collect(chat.process('hello from sam', { identity: sam, signal, conversationId: 'k1', agent: undefined }));
    const mine = await chat.conversations({ identity: alex, signal });
    expect(mine).toEqual([{ id: 'k1', title: 'hello from alex', agent: 'main', updated_at: new Date(h.clock.now()).toISOString(), message_count: 2 }]);
    const convo = await chat.conversation('k1', { identity: sam, signal });
    expect(convo?.messages.map((m) => [m.role, m.text])).toEqual([
      ['user', 'hello from sam'],
      ['assistant', 're: hello from sam'],
    ]);
    expect(await chat.conversation('nope', { identity: sam, signal })).toBeUndefined();
  });

  it('talks to the agent the request names, as @agent would', async () => {
    h = await harness();
    await h.system.spawn(new EchoAgent({ name: 'calc' }));
    const chat = createChatService(h.orch);
    const events = await collect(chat.process('1 + 1', { identity: alex, signal: new AbortController().signal, conversationId: 'k2', agent: 'calc' }));
    expect(events.at(-1)).toMatchObject({ type: 'done', conversationId: 'k2', reply: 'echo: 1 + 1', agent: 'calc', route: 'mention' });
  });

  it('maps identities to users', () => {
    expect(userOf(alex)).toEqual({ id: 'u-alex', name: 'Alex' });
    expect(userOf({ userId: null, userName: null, displayName: null, via: 'api_key' })).toEqual({ id: 'api' });
  });
});

describe('main as an actor', () => {
  it('is protected and answers other agents’ tasks with a chat turn', async () => {
    h = await harness();
    h.script.chat = (text) => `main says: ${text}`;
    const main = await h.system.spawn(new MainActor(h.orch));
    expect(main.isProtected).toBe(true);
    expect(await h.system.ask('main', { text: 'summarise the day' }, { from: 'energy' })).toEqual({ text: 'main says: summarise the day', agent: 'main', route: 'other' });
    expect(await h.system.ask('main', 42)).toEqual({ error: 'main expects a text task: a string or {"text": "..."}' });
    expect(h.orch.history.list('agent_energy')).toEqual([]);
    expect(h.orch.history.list('agent:energy').map((c) => c.id)).toEqual(['agent-energy']);
  });

  it('refuses agent tasks past its limit of turns in flight, and answers every accepted one', async () => {
    h = await harness();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    h.script.chat = async (text) => {
      await gate;
      return reply.text(`done: ${text}`);
    };
    await h.system.spawn(new MainActor(h.orch));
    const accepted = Array.from({ length: MAX_AGENT_TURNS }, (_, i) => h.system.ask('main', `task ${i}`, { from: `agent-${i}`, timeoutMs: 60_000 }));
    await vi.waitFor(() => expect(h.calls('conversation').length).toBeGreaterThan(0));
    expect(await h.system.ask('main', 'one too many', { from: 'flooder' })).toEqual({ error: `main is busy: ${MAX_AGENT_TURNS} agent tasks are being answered; send this one again later` });
    release();
    const answers = (await Promise.all(accepted)) as { text: string }[];
    expect(answers.map((a) => a.text)).toEqual(Array.from({ length: MAX_AGENT_TURNS }, (_, i) => `done: task ${i}`));
    // Room again once the accepted turns are answered.
    h.script.chat = (text) => `main says: ${text}`;
    expect(await h.system.ask('main', 'again', { from: 'flooder' })).toMatchObject({ text: 'main says: again' });
  });
});
