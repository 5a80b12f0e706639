// A stream holds its reservation until its final usage is in the ledger, and gives it back on
// every other way out: a reader that stops early, a failure mid-way, and a reader that simply
// stops asking without closing the stream (no `finally` ever runs for that one).
import { afterEach, describe, expect, it } from 'vitest';
import { LlmError } from '../../../server/src/llm/errors.ts';
import { STREAM_READER_IDLE_MS, type LlmStreamEvent } from '../../../server/src/llm/service.ts';
import { reply } from '../../helpers/fake-llm/index.ts';
import { drain, harness, type Harness } from './harness.ts';

const HI = [{ role: 'user' as const, content: 'hello' }];
const dailyCap = (usd: number) => ({ budget: { dailyUsd: usd, weeklyUsd: undefined, monthlyUsd: undefined } });
const ANSWER = reply.text('The porch light is on.', { usage: { input: 6, output: 500 } });

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const held = (h: Harness) => {
  const s = h.llm.budget.status();
  return { inFlight: s.inFlight, reservedUsd: s.periods[0].reservedUsd, spentUsd: s.periods[0].spentUsd };
};

describe('stream reservations', () => {
  it('are held while text arrives and replaced by the ledger row before the reader sees done', async () => {
    h = await harness({ provider: 'openai', config: dailyCap(1) });
    h.fake.enqueue(ANSWER);
    const seen: ReturnType<typeof held>[] = [];
    for await (const e of h.llm.stream({ callSite: 'conversation', agent: 'main', messages: HI, maxTokens: 1000 })) {
      if (e.type === 'text' && seen.length === 0) seen.push(held(h));
      if (e.type === 'done') seen.push(held(h));
    }
    expect(seen).toEqual([
      { inFlight: 1, reservedUsd: 0.0100125, spentUsd: 0 },
      { inFlight: 0, reservedUsd: 0, spentUsd: 0.005015 },
    ]);
  });

  it('are released when the reader stops early, and the request is cancelled', async () => {
    h = await harness({ provider: 'openai', config: dailyCap(1) });
    h.fake.enqueue({ ...ANSWER, hangAfterChunks: 2 });
    for await (const e of h.llm.stream({ callSite: 'conversation', messages: HI })) {
      if (e.type === 'text') break;
    }
    expect(held(h)).toEqual({ inFlight: 0, reservedUsd: 0, spentUsd: 0 });
    await h.fake.lastRequest().closed;
    expect(h.fake.lastRequest().abortedByClient).toBe(true);
  });

  it('are released when the stream fails mid-way', async () => {
    h = await harness({ provider: 'openai', config: dailyCap(1) });
    h.fake.enqueue({ ...ANSWER, hangAfterChunks: 1 });
    const abort = new AbortController();
    const events: LlmStreamEvent[] = [];
    const run = (async () => {
      for await (const e of h.llm.stream({ callSite: 'conversation', messages: HI, signal: abort.signal })) {
        events.push(e);
        abort.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ kind: 'aborted' });
    expect(events).toHaveLength(1);
    expect(held(h)).toEqual({ inFlight: 0, reservedUsd: 0, spentUsd: 0 });
  });

  it('of a stream abandoned by its reader are released after the idle limit, and the request is cancelled', async () => {
    h = await harness({ provider: 'openai', config: dailyCap(1) });
    h.fake.enqueue({ ...ANSWER, hangAfterChunks: 2 });
    const it = h.llm.stream({ callSite: 'conversation', agent: 'main', messages: HI, maxTokens: 1000 })[Symbol.asyncIterator]();
    expect((await it.next()).value).toMatchObject({ type: 'text' });
    // The reader now neither asks for more nor closes the stream.
    await h.clock.advance(STREAM_READER_IDLE_MS - 1);
    expect(held(h)).toMatchObject({ inFlight: 1, reservedUsd: 0.0100125 });
    await h.clock.advance(1);
    expect(held(h)).toEqual({ inFlight: 0, reservedUsd: 0, spentUsd: 0 });
    await h.fake.lastRequest().closed;
    expect(h.fake.lastRequest().abortedByClient).toBe(true);

    const late = await it.next().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(late).toBeInstanceOf(LlmError);
    expect(late).toMatchObject({ kind: 'aborted', message: 'The LLM stream was not read for 120 s and was cancelled.' });
    expect(h.clock.pending()).toBe(0);
  });

  it('of a slow reader are kept: only silence past the limit counts as abandonment', async () => {
    h = await harness({ provider: 'openai', config: dailyCap(1) });
    h.fake.enqueue(reply.text('one two three', { usage: { input: 6, output: 3 } }));
    const events: LlmStreamEvent[] = [];
    for await (const e of h.llm.stream({ callSite: 'conversation', messages: HI })) {
      events.push(e);
      await h.clock.advance(STREAM_READER_IDLE_MS - 1);
    }
    expect(events.at(-1)).toMatchObject({ type: 'done', result: { text: 'one two three' } });
    expect(h.clock.pending()).toBe(0);
  });

  it('refuse a stream with no room as clearly as a blocking call, before anything is sent', async () => {
    h = await harness({ provider: 'openai', config: dailyCap(0.015) });
    h.fake.respond(() => reply.hang());
    const first = h.llm.complete({ callSite: 'agent', messages: HI, maxTokens: 1000 }).catch(() => undefined);
    await h.fake.waitForRequest(1);
    await expect(drain(h.llm.stream({ callSite: 'conversation', messages: HI, maxTokens: 1000 }))).rejects.toThrow(/^The daily LLM budget has no room for this call: \$0\.00 of \$0\.015 is spent and \$0\.01 is held by calls in progress/);
    expect(h.fake.requests).toHaveLength(1);
    await h.fake.close();
    await first;
  });
});
