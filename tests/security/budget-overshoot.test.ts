// Finding 6 of issue 12, replayed: dynamic agents fire 40 llm.chat calls at once under a $0.03
// daily cap (five agents of eight calls each: the sandbox lets one agent have only a few
// llm.chat calls pending, which does nothing against several agents). Before budget reservations every call read the same spent amount ($0) and all 40
// reached the model: $0.23 spent, 7.7x the cap. Now each call reserves what it may cost, so the
// ledger ends at most one call's estimate past the cap and the other calls get a clear refusal.
// Real parts throughout: the agent runs in its isolate on the real kernel, llm.chat goes through
// the sandbox bridge to the LLM service, and the real Anthropic SDK talks to the fake server.
import { afterEach, expect, test } from 'vitest';
import { estimateCostUsd } from '../../server/src/llm/estimate.ts';
import type { LlmRequest } from '../../server/src/llm/service.ts';
import { priceFor } from '../../server/src/llm/pricing.ts';
import { eventually, startWorld, type AgentWorld } from '../helpers/agent-world.ts';
import { reply } from '../helpers/fake-llm/index.ts';

const CAP = 0.03;
const AGENTS = 5;
const PER_AGENT = 8;
const CALLS = AGENTS * PER_AGENT;
/** An agent's summary request over a day of readings: ~600 characters, 260-285 tokens for OpenAI's tokenizers. */
const PROMPT = `Summarise the energy use of the house today in two sentences. Readings: ${Array.from({ length: 24 }, (_, h) => `hour ${h} used ${(0.4 + (h % 7) / 10).toFixed(1)} kWh`).join(', ')}.`;

const AGENT = `
async function handleTask(agent, p) {
  const one = (i) => agent.llm.chat(p.prompt + ' (' + i + ')', p.maxTokens ? { maxTokens: p.maxTokens } : {})
    .then((text) => ({ ok: true, text }), (e) => ({ ok: false, error: String((e && e.message) || e) }));
  return await Promise.all(Array.from({ length: p.calls }, (_, i) => one(i)));
}`;

type Outcome = { ok: true; text: string } | { ok: false; error: string };

let world: AgentWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/**
 * Spawns the agents and runs their 40 parallel calls. The fake server holds every answer until all
 * 40 calls have entered the LLM service, so no call can settle (and be seen in the ledger) before
 * the last one is admitted or refused: the finding's race, made certain instead of likely.
 */
async function replay(maxTokens: number | undefined, usage: { input: number; output: number }) {
  world = await startWorld({ budgetDailyUsd: CAP });
  const w = world;
  let entered = 0;
  const complete = w.llm.complete.bind(w.llm);
  w.llm.complete = (request: LlmRequest) => {
    entered++;
    return complete(request);
  };
  w.fake.respond(async () => {
    await eventually(() => entered === CALLS, () => `all ${CALLS} calls to reach the LLM service (${entered} so far)`);
    return reply.text('About 17 kWh, mostly in the evening.', { usage });
  });
  const names = Array.from({ length: AGENTS }, (_, i) => `energy-summariser-${i}`);
  for (const name of names) await w.agents.spawner.spawn({ name, type: 'dynamic', code: AGENT } as never, { by: 'llm' });
  const answers = await Promise.all(names.map((name) => w.system.ask<Outcome[]>(name, { prompt: PROMPT, calls: PER_AGENT, maxTokens }, { timeoutMs: 60_000 })));
  for (const a of answers) if (!Array.isArray(a)) throw new Error(`an agent's task failed: ${JSON.stringify(a)}`);
  const outcomes = answers.flat();
  const estimate = estimateCostUsd({ messages: [{ role: 'user', content: `${PROMPT} (10)` }], ...(maxTokens ? { maxTokens } : {}) }, priceFor('anthropic', 'claude-sonnet-4-6'))!;
  const day = w.llm.budget.status().periods.find((p) => p.period === 'day')!;
  return { outcomes, estimate, spent: day.spentUsd, reserved: day.reservedUsd, received: w.fake.requests.length, calls: w.llm.ledger.report({ period: 'day' }).totals.calls };
}

test('40 parallel agent llm.chat calls under a $0.03 daily cap spend at most one estimate past it', async () => {
  // Each call costs about what the finding measured ($0.23 / 40 = $0.00575): 290 tokens in and
  // its whole 300-token allowance out on claude-sonnet-4-6 ($3 / $15 per million) is $0.00537.
  const r = await replay(300, { input: 290, output: 300 });

  expect(r.outcomes).toHaveLength(CALLS);
  const answered = r.outcomes.filter((o) => o.ok);
  const refused = r.outcomes.filter((o): o is Extract<Outcome, { ok: false }> => !o.ok);
  expect(r.estimate).toBeGreaterThan(0.005);
  expect(r.estimate).toBeLessThan(0.0065);
  expect(r.spent).toBeLessThanOrEqual(CAP + r.estimate);
  // Only the admitted calls reached the model, and each is one ledger row.
  expect(r.received).toBe(answered.length);
  expect(r.calls).toBe(answered.length);
  expect(answered.length).toBeGreaterThanOrEqual(1);
  expect(answered.length).toBeLessThanOrEqual(Math.floor(CAP / r.estimate) + 1);
  expect(refused).toHaveLength(CALLS - answered.length);
  for (const o of refused) {
    expect(o.error).toMatch(/The daily LLM budget has no room for this call: \$0\.00 of \$0\.03 is spent and \$0\.0\d+ is held by calls in progress; this call may cost up to \$0\.00\d+\. Try again when they finish, raise the cap in the settings, or set LLM_FALLBACK/);
  }
  expect(r.reserved).toBe(0);
});

test('calls larger than the whole cap go one at a time: the first is admitted alone, the rest are refused', async () => {
  // No max tokens: each call may write 4,096 tokens ($0.061 on claude-sonnet-4-6), twice the cap.
  const r = await replay(undefined, { input: 290, output: 1200 });

  expect(r.estimate).toBeGreaterThan(CAP);
  expect(r.outcomes.filter((o) => o.ok)).toHaveLength(1);
  expect(r.received).toBe(1);
  expect(r.spent).toBeLessThanOrEqual(CAP + r.estimate);
  for (const o of r.outcomes.filter((x) => !x.ok)) expect(o).toMatchObject({ error: expect.stringMatching(/^The daily LLM budget has no room for this call/) as unknown });
});
