// Failures as a user meets them: a wrong key names the provider and the variable to fix and
// never shows the key; 429 and 5xx are retried with backoff (honouring retry-after); a silent
// provider times out; a cancelled call stops at once and the provider sees the connection close.
import { afterEach, describe, expect, it } from 'vitest';
import { LlmError } from '../../../server/src/llm/errors.ts';
import type { LlmMessage } from '../../../server/src/llm/messages.ts';
import type { LlmStreamEvent } from '../../../server/src/llm/service.ts';
import type { ProviderName } from '../../../server/src/llm/types.ts';
import { FAKE_KEYS, reply } from '../../helpers/fake-llm/index.ts';
import { harness, type Harness } from './harness.ts';

const ASK: LlmMessage[] = [{ role: 'user', content: 'Turn on the porch light.' }];
const request = { callSite: 'conversation' as const, messages: ASK };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function failure(p: Promise<unknown>): Promise<LlmError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LlmError);
  return err as LlmError;
}

function expectNoSecret(err: Error): void {
  for (const key of Object.values(FAKE_KEYS)) {
    expect(err.message).not.toContain(key);
    expect(err.stack ?? '').not.toContain(key);
    expect(JSON.stringify(err)).not.toContain(key);
  }
}

describe('authentication and bad requests', () => {
  it.each<[ProviderName, string, string]>([
    ['anthropic', 'Anthropic', 'ANTHROPIC_API_KEY'],
    ['openai', 'OpenAI', 'OPENAI_API_KEY'],
    ['nim', 'NVIDIA NIM', 'NIM_API_KEY'],
    ['gemini', 'Google Gemini', 'GEMINI_API_KEY'],
  ])('%s: a rejected key gives a clear 401 without the key, and is not retried', async (provider, label, env) => {
    h = await harness({ provider, fake: { apiKey: 'the-key-the-provider-expects' } });
    // The OpenAI-protocol fake echoes the received key in its 401 body; the Anthropic one is told to.
    if (provider === 'anthropic') h.fake.respond(() => reply.error(401, { message: `invalid x-api-key ${FAKE_KEYS.anthropic}` }));

    const err = await failure(h.llm.complete(request));

    expect(err.kind).toBe('auth');
    expect(err.status).toBe(401);
    expect(err.provider).toBe(provider);
    expect(err.message).toContain(label);
    expect(err.message).toContain(env);
    expectNoSecret(err);
    expect(h.fake.requests).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
    expect(h.llm.ledger.report({ period: 'all' }).totals.calls).toBe(0);
  });

  it('a 400 names the provider and quotes the reason, without retrying', async () => {
    h = await harness({ provider: 'openai' });
    h.fake.enqueue(reply.error(400, { message: "Invalid 'messages[0].content': string too long." }));

    const err = await failure(h.llm.complete(request));

    expect(err.kind).toBe('bad_request');
    expect(err.message).toMatch(/^OpenAI refused the request \(HTTP 400\): Invalid 'messages\[0\]\.content'/);
    expect(h.fake.requests).toHaveLength(1);
  });

  it('an unknown Ollama model is a 404 that says to check the model name', async () => {
    h = await harness({ provider: 'ollama', config: { model: 'llama9' } });
    h.fake.enqueue(reply.error(404));
    const err = await failure(h.llm.complete(request));
    expect(err.kind).toBe('bad_request');
    expect(err.message).toContain('Ollama');
    expect(err.message).toContain('model "llama9" not found');
  });

  it('a provider without a key is "not configured", naming the variable, before any request', async () => {
    h = await harness({ provider: 'openai' });
    const noKey = await harness({ provider: 'openai', config: { openai: { apiKey: undefined, baseUrl: h.fake.openaiBaseUrl } } });
    try {
      const err = await failure(noKey.llm.complete(request));
      expect(err.kind).toBe('not_configured');
      expect(err.message).toContain('OPENAI_API_KEY');
      expect(noKey.fake.requests).toHaveLength(0);
    } finally {
      await noKey.close();
    }
  });

  it('with no provider at all, every call says so', async () => {
    h = await harness({ provider: 'none' });
    const err = await failure(h.llm.complete(request));
    expect(err.kind).toBe('not_configured');
    expect(err.message).toContain('LLM_PROVIDER');
  });
});

describe('retries', () => {
  it.each<ProviderName>(['anthropic', 'openai', 'gemini'])('%s: a 429 with retry-after waits that long, then succeeds', async (provider) => {
    h = await harness({ provider });
    h.fake.enqueue(reply.error(429, { retryAfter: 2 }), reply.text('Porch light is on.'));

    const result = await h.llm.complete(request);

    expect(result.text).toBe('Porch light is on.');
    expect(h.sleeps).toEqual([2000]);
    expect(h.fake.requests).toHaveLength(2);
    expect(h.llm.ledger.report({ period: 'all' }).totals.calls).toBe(1);
  });

  it('Ollama: 5xx are retried with exponential backoff', async () => {
    h = await harness({ provider: 'ollama' });
    h.fake.enqueue(reply.error(503), reply.error(500), reply.text('Done.'));
    const result = await h.llm.complete(request);
    expect(result.text).toBe('Done.');
    expect(h.sleeps).toEqual([1000, 2000]);
  });

  it('Anthropic: 529 overloaded is retried', async () => {
    h = await harness({ provider: 'anthropic' });
    h.fake.enqueue(reply.error(529), reply.text('Done.'));
    expect((await h.llm.complete(request)).text).toBe('Done.');
    expect(h.sleeps).toEqual([1000]);
  });

  it('gives up after three retries with the last error', async () => {
    h = await harness({ provider: 'anthropic' });
    h.fake.respond(() => reply.error(500, { message: 'Internal server error' }));

    const err = await failure(h.llm.complete(request));

    expect(err.kind).toBe('server');
    expect(err.message).toBe('Anthropic had a server error (HTTP 500): Internal server error.');
    expect(h.fake.requests).toHaveLength(4);
    expect(h.sleeps).toEqual([1000, 2000, 4000]);
  });

  it('does not wait for a retry-after longer than a minute: the rate limit surfaces', async () => {
    h = await harness({ provider: 'openai' });
    h.fake.enqueue(reply.error(429, { retryAfter: 3600 }));
    const err = await failure(h.llm.complete(request));
    expect(err.kind).toBe('rate_limit');
    expect(err.retryAfterMs).toBe(3_600_000);
    expect(h.sleeps).toEqual([]);
  });

  it('a stream that failed before its first delta is retried', async () => {
    h = await harness({ provider: 'openai' });
    h.fake.enqueue(reply.error(502), reply.text('Back again.'));
    let text = '';
    for await (const e of h.llm.stream(request)) if (e.type === 'text') text += e.text;
    expect(text).toBe('Back again.');
    expect(h.sleeps).toEqual([1000]);
  });

  it('an unreachable provider is a network error naming where it looked', async () => {
    h = await harness({ provider: 'openai' });
    const url = h.fake.openaiBaseUrl;
    await h.fake.close();
    const err = await failure(h.llm.complete(request));
    expect(err.kind).toBe('network');
    expect(err.message).toContain(`Could not reach OpenAI at ${url}`);
    expect(h.sleeps).toEqual([1000, 2000, 4000]);
  });
});

describe.each<ProviderName>(['anthropic', 'openai', 'ollama'])('%s: timeouts and cancellation', (provider) => {
  it('times out on a provider that never answers, and closes the connection', async () => {
    h = await harness({ provider });
    h.fake.enqueue(reply.hang());

    const pending = failure(h.llm.complete({ ...request, timeoutMs: 30_000 }));
    const req = await h.fake.waitForRequest(1);
    await h.clock.advance(30_000);
    const err = await pending;

    expect(err.kind).toBe('timeout');
    expect(err.message).toMatch(/did not answer within 30 s\.$/);
    await req.closed;
    expect(req.abortedByClient).toBe(true);
    expect(h.fake.requests).toHaveLength(1);
  });

  it('times out a stream that goes silent, after the deltas it did send', async () => {
    h = await harness({ provider });
    h.fake.enqueue(reply.text('The porch light is now on.', { hangAfterChunks: 2 }));

    const texts: string[] = [];
    const consumed = (async () => {
      for await (const e of h.llm.stream({ ...request, timeoutMs: 10_000 })) if (e.type === 'text') texts.push(e.text);
    })();
    const failed = failure(consumed);
    await h.fake.waitForRequest(1);
    await waitUntil(() => texts.length === 2);
    await h.clock.advance(10_000);
    const err = await failed;

    expect(err.kind).toBe('timeout');
    expect(texts.join('')).toBe('The porch');
    expect(h.fake.requests).toHaveLength(1);
  });

  it('stops at once when the caller aborts, and the provider sees the cancel', async () => {
    h = await harness({ provider });
    h.fake.enqueue(reply.hang());
    const controller = new AbortController();

    const pending = failure(h.llm.complete({ ...request, signal: controller.signal }));
    const req = await h.fake.waitForRequest(1);
    controller.abort();
    const err = await pending;

    expect(err.kind).toBe('aborted');
    expect(err.message).toContain('cancelled');
    await req.closed;
    expect(req.abortedByClient).toBe(true);
  });

  it('aborts a stream in the middle', async () => {
    h = await harness({ provider });
    h.fake.enqueue(reply.text('one two three four five', { hangAfterChunks: 1 }));
    const controller = new AbortController();
    const events: LlmStreamEvent[] = [];

    const err = await failure(
      (async () => {
        for await (const e of h.llm.stream({ ...request, signal: controller.signal })) {
          events.push(e);
          controller.abort();
        }
      })(),
    );

    expect(err.kind).toBe('aborted');
    expect(events).toEqual([{ type: 'text', text: 'one' }]);
    expect(h.llm.ledger.report({ period: 'all' }).totals.calls).toBe(0);
  });
});

describe('cancellation without a request', () => {
  it('an already aborted signal sends nothing', async () => {
    h = await harness({ provider: 'anthropic' });
    const err = await failure(h.llm.complete({ ...request, signal: AbortSignal.abort() }));
    expect(err.kind).toBe('aborted');
    expect(h.fake.requests).toHaveLength(0);
  });

  it('aborting during a retry backoff ends the wait', async () => {
    // The real clock-driven sleep this time, so the backoff is actually pending.
    h = await harness({ provider: 'openai', deps: { sleep: undefined } });
    h.fake.enqueue(reply.error(429, { retryAfter: 20 }));
    const controller = new AbortController();

    const pending = failure(h.llm.complete({ ...request, signal: controller.signal }));
    await h.fake.waitForRequest(1);
    await waitUntil(() => h!.clock.pending() > 0);
    controller.abort();
    const err = await pending;

    expect(err.kind).toBe('aborted');
    expect(h.fake.requests).toHaveLength(1);
    expect(h.clock.pending()).toBe(0);
  });
});

/** Polls a condition that depends on I/O (the fake's chunks reaching the client). */
async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 2500 && !condition(); i++) await new Promise((r) => setTimeout(r, 2));
  expect(condition()).toBe(true);
}
