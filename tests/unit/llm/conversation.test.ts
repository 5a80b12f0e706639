// The memory of an LLM agent: saved after every exchange, summarised when it grows past the
// threshold (summaries chain and reach every later call), repaired when a stored record is
// corrupt, and untouched by a failed call.
import { afterEach, describe, expect, it } from 'vitest';
import { LlmConversation } from '../../../server/src/llm/conversation/conversation.ts';
import { ConversationStore } from '../../../server/src/llm/conversation/store.ts';
import { SUMMARY_SYSTEM } from '../../../server/src/llm/conversation/summarize.ts';
import { createLlm } from '../../../server/src/llm/create.ts';
import type { LlmMessage } from '../../../server/src/llm/messages.ts';
import type { LlmStreamEvent } from '../../../server/src/llm/service.ts';
import { openDatabase } from '../../../server/src/store/database.ts';
import { LLM_MIGRATIONS } from '../../../server/src/store/migrations/llm.ts';
import { reply, type FakeRequest } from '../../helpers/fake-llm/index.ts';
import { makeTempDir } from '../../helpers/tmp.ts';
import { drain, harness, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function conversation(h: Harness, extra: Partial<ConstructorParameters<typeof LlmConversation>[0]> = {}): LlmConversation {
  return new LlmConversation({ id: 'home-assistant-agent', agent: 'home-assistant-agent', llm: h.llm, store: new ConversationStore(h.db, h.clock), system: 'You control the home.', ...extra });
}

const isSummaryRequest = (r: FakeRequest) => typeof r.body.system === 'string' && r.body.system.startsWith(SUMMARY_SYSTEM.slice(0, 40));

/** Answers "answer N" to conversation turns and "SUMMARY K" to summary requests. */
function scripted(h: Harness): void {
  let summaries = 0;
  h.fake.respond((r) => (isSummaryRequest(r) ? reply.text(`SUMMARY ${++summaries}: the user likes the porch light on.`) : reply.text(`answer ${r.n}`)));
}

describe('persistence', () => {
  it('saves each exchange so a restarted agent remembers it', async () => {
    const dir = makeTempDir();
    try {
      const db = openDatabase({ dataDir: dir.path, migrations: LLM_MIGRATIONS });
      h = await harness({ db });
      h.fake.enqueue(reply.text('The porch light is on.'));
      await conversation(h).send('Is the porch light on?');
      db.close();

      const reopened = openDatabase({ dataDir: dir.path, migrations: LLM_MIGRATIONS });
      const llm = createLlm(h.config, { db: reopened, clock: h.clock });
      const restored = new LlmConversation({ id: 'home-assistant-agent', agent: 'x', llm, store: new ConversationStore(reopened, h.clock) });
      expect(restored.messages()).toEqual([
        { role: 'user', content: 'Is the porch light on?' },
        { role: 'assistant', content: 'The porch light is on.' },
      ]);
      reopened.close();
    } finally {
      dir.cleanup();
    }
  });

  it('sends the whole history with the system prompt, and saves a streamed answer when it completes', async () => {
    h = await harness();
    h.fake.enqueue(reply.text('It is 21 °C.'), reply.text('Yes, warmer than outside.'));
    const c = conversation(h);
    await c.send('Living room temperature?');

    const events = await drain<LlmStreamEvent>(c.stream('Is that warm?'));

    expect(events.at(-1)?.type).toBe('done');
    const req = h.fake.lastRequest();
    expect(req.body.system).toBe('You control the home.');
    expect(req.body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Living room temperature?' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'It is 21 °C.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Is that warm?' }] },
    ]);
    expect(conversation(h).messages()).toHaveLength(4);
  });

  it('a failed call leaves no trace, so a retry does not repeat the question', async () => {
    h = await harness();
    h.fake.enqueue(reply.error(400, { message: 'prompt is too long' }), reply.text('Done.'));
    const c = conversation(h);
    await expect(c.send('Turn everything off.')).rejects.toThrow(/prompt is too long/);
    expect(c.messages()).toEqual([]);
    await c.send('Turn everything off.');
    expect(h.fake.lastRequest().body.messages).toHaveLength(1);
    expect(conversation(h).messages()).toHaveLength(2);
  });

  it('carries a tool call and its results through the exchange', async () => {
    h = await harness({ provider: 'openai' });
    h.fake.enqueue(reply.tool('get_state', { entity_id: 'lock.front_door' }), reply.text('The front door is locked.'));
    const c = conversation(h);
    const first = await c.send('Is the front door locked?');
    const id = first.toolCalls[0].id;

    const second = await c.sendToolResults([{ role: 'tool', toolCallId: id, name: 'get_state', content: 'locked' }]);

    expect(second.text).toBe('The front door is locked.');
    expect(conversation(h).messages().map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
  });
});

describe('rolling summary', () => {
  it('summarises the oldest half once past 30 messages, and prepends the summary to later calls', async () => {
    h = await harness();
    scripted(h);
    const c = conversation(h);
    for (let i = 1; i <= 15; i++) await c.send(`question ${i}`);
    expect(c.messages()).toHaveLength(30);
    expect(h.fake.requests.filter(isSummaryRequest)).toHaveLength(0);

    await c.send('question 16');

    const summaryReq = h.fake.requests.find(isSummaryRequest)!;
    const asked = JSON.stringify(summaryReq.body.messages);
    expect(asked).toContain('User: question 1\\nAssistant: answer 1');
    expect(asked).toContain('User: question 8');
    expect(asked).not.toContain('question 9');
    expect(c.messages()).toHaveLength(16);
    expect(c.messages()[0]).toEqual({ role: 'user', content: 'question 9' });
    expect(c.summaries().map((s) => [s.text, s.covered])).toEqual([['SUMMARY 1: the user likes the porch light on.', 16]]);
    expect(h.llm.ledger.report({ period: 'all', groupBy: 'callSite' }).groups.map((g) => [g.key, g.calls])).toEqual([
      ['conversation', 16],
      ['summary', 1],
    ]);

    await c.send('question 17');
    const next = h.fake.lastRequest();
    expect(next.body.system).toBe('You control the home.\n\nSummary of the earlier conversation (oldest first; treat it as facts you remember):\nSUMMARY 1: the user likes the porch light on.');
    expect((next.body.messages as unknown[]).length).toBe(17);

    // A restarted agent has the same summary and the same recent messages.
    const restored = conversation(h);
    expect(restored.summaries()).toHaveLength(1);
    expect(restored.messages()).toEqual(c.messages());
  });

  it('chains summaries and folds the chain when it grows long', async () => {
    h = await harness();
    scripted(h);
    const c = conversation(h, { threshold: 6, maxSummaries: 2 });
    for (let i = 1; i <= 4; i++) await c.send(`q${i}`); // 8 messages: first summary
    expect(c.summaries()).toHaveLength(1);
    for (let i = 5; i <= 6; i++) await c.send(`q${i}`); // 4 + 4 = 8: second summary
    expect(c.summaries().map((s) => s.text.slice(0, 9))).toEqual(['SUMMARY 1', 'SUMMARY 2']);
    await c.send('q7');
    expect(h.fake.lastRequest().body.system).toContain('1. SUMMARY 1');
    expect(h.fake.lastRequest().body.system).toContain('2. SUMMARY 2');

    await c.send('q8'); // third summary folds the chain of two into one
    const folding = h.fake.requests.filter(isSummaryRequest).at(-1)!;
    expect(JSON.stringify(folding.body.messages)).toContain('Earlier summaries, oldest first');
    expect(c.summaries()).toHaveLength(1);
    expect(c.summaries()[0].text.startsWith('SUMMARY 3')).toBe(true);
    expect(c.summaries()[0].covered).toBe(12);
  });

  it('a failed summary does not fail the exchange; it is tried again next time', async () => {
    h = await harness();
    let failSummary = true;
    h.fake.respond((r) => (isSummaryRequest(r) ? (failSummary ? reply.error(400, { message: 'no' }) : reply.text('SUMMARY ok')) : reply.text('fine')));
    const c = conversation(h, { threshold: 4 });
    for (let i = 1; i <= 3; i++) await c.send(`q${i}`);
    expect(c.messages()).toHaveLength(6);
    expect(c.summaries()).toHaveLength(0);
    failSummary = false;
    await c.send('q4');
    expect(c.summaries()).toHaveLength(1);
  });
});

describe('a corrupted stored history', () => {
  const corrupt = (h: Harness) => {
    const insert = h.db.prepare("INSERT INTO llm_messages (conversation, seq, body, at) VALUES ('home-assistant-agent', ?, ?, 0)");
    const rows: string[] = [
      JSON.stringify({ role: 'user', content: 'Turn on the porch light.' }),
      JSON.stringify({ role: 'assistant', content: '', toolCalls: [{ id: 'toolu_1', name: 'call_service', arguments: { entity_id: 'light.porch' } }] }),
      '{"role": "tool", "toolCallId": "toolu_1", "content": "ok"', // truncated write: not JSON
      JSON.stringify({ role: 'user', content: 'Thanks. Is it on?' }),
      JSON.stringify({ role: 'user', content: '' }),
      JSON.stringify({ role: 'tool', toolCallId: 'toolu_9', content: 'orphan' }),
      JSON.stringify({ role: 'assistant', content: 'Yes.' }),
      JSON.stringify({ role: 'assistant' }),
    ];
    rows.forEach((body, i) => insert.run(i + 1, body));
  };

  it('would make the provider reject every request as it is', async () => {
    h = await harness();
    corrupt(h);
    const raw = new ConversationStore(h.db, h.clock).load('home-assistant-agent').raw.filter((m): m is LlmMessage => !!m && typeof m === 'object' && 'content' in m);
    await expect(h.llm.complete({ callSite: 'conversation', messages: [...raw, { role: 'user', content: 'Hello?' }] })).rejects.toThrow(
      /tool_use` ids were found without `tool_result` blocks/,
    );
  });

  it('is repaired on load, saved repaired, and later requests succeed', async () => {
    h = await harness();
    corrupt(h);
    h.fake.enqueue(reply.text('Yes, still on.'));
    const c = conversation(h);

    const repairs = c.load();

    expect(repairs.length).toBeGreaterThan(0);
    expect(c.messages()).toEqual([
      { role: 'user', content: 'Turn on the porch light.\n\nThanks. Is it on?' },
      { role: 'assistant', content: 'Yes.' },
    ]);
    expect(conversation(h).load()).toEqual([]);

    const result = await c.send('Is it still on?');
    expect(result.text).toBe('Yes, still on.');
    expect(h.fake.lastRequest().body.messages).toHaveLength(3);
  });
});
