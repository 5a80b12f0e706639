// The HTTP API's ChatService over the orchestrator: identities become chat users, the
// orchestrator's events pass through unchanged, and the transcript answers GET /api/conversations.
import { afterEach, describe, expect, it } from 'vitest';
import { createChatService, userOf } from '../../../server/src/services/chat.ts';
import type { Identity } from '../../../server/src/contract/identity.ts';
import { ChatEvent } from '../../../server/src/contract/chat.ts';
import { EchoAgent, harness, type Harness } from '../agents/main/harness.ts';

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
