// `npm run bench llm-budget`: what budget reservations buy and cost. Overshoot: 40 parallel
// agent-style calls under a $0.03 daily cap through the LlmService, against the pre-reservation
// check-then-call (read spent from the ledger, call, record), in the same run. Overhead: one call
// through the service (route, estimate, reserve, ledger row, settle) with a provider that answers
// at once, against that same check-then-call path; and the estimate alone for a long conversation.
import type { LlmConfig } from '../server/src/config/types.ts';
import { systemClock } from '../server/src/core/clock.ts';
import { createLlm } from '../server/src/llm/create.ts';
import { estimateCostUsd } from '../server/src/llm/estimate.ts';
import type { LlmMessage } from '../server/src/llm/messages.ts';
import { costOf, priceFor } from '../server/src/llm/pricing.ts';
import type { LlmService } from '../server/src/llm/service.ts';
import type { LlmProvider, ProviderResult } from '../server/src/llm/types.ts';
import { openDatabase } from '../server/src/store/database.ts';
import { LLM_MIGRATIONS } from '../server/src/store/migrations/llm.ts';
import { nowUs, percentile, type Bench } from './harness.ts';

const CAP = 0.03;
const PARALLEL = 40;
const CALLS = 5_000;
const MODEL = 'claude-sonnet-4-6';
/** What one call of the finding cost ($0.23 / 40): 290 tokens in, 300 out on claude-sonnet-4-6. */
const USAGE = { inputTokens: 290, outputTokens: 300, cachedInputTokens: 0, cacheWriteTokens: 0 };
const PROMPT = `Summarise the energy use of the house today in two sentences. Readings: ${Array.from({ length: 24 }, (_, h) => `hour ${h} used ${(0.4 + (h % 7) / 10).toFixed(1)} kWh`).join(', ')}.`;
const CONVERSATION: LlmMessage[] = Array.from({ length: 40 }, (_, i) =>
  i % 2 === 0 ? { role: 'user', content: `Question ${i}: ${PROMPT}` } : { role: 'assistant', content: `Answer ${i}: the kitchen used 3.2 kWh, mostly between 18:00 and 21:00.`.repeat(8) },
);

function config(): LlmConfig {
  return {
    provider: 'anthropic',
    model: MODEL,
    cheapModel: undefined,
    fallback: undefined,
    anthropic: { apiKey: 'bench', baseUrl: undefined },
    openai: { apiKey: undefined, baseUrl: undefined },
    ollama: { host: 'http://127.0.0.1:1' },
    nim: { apiKey: undefined, baseUrl: 'http://127.0.0.1:1' },
    gemini: { apiKey: undefined, baseUrl: 'http://127.0.0.1:1' },
    budget: { dailyUsd: CAP, weeklyUsd: undefined, monthlyUsd: undefined },
  };
}

/** A provider that answers after one turn of the event loop (`network`) or at once. */
function stub(network: boolean): LlmProvider {
  const result: ProviderResult = { text: 'ok', toolCalls: [], usage: USAGE, model: MODEL, stopReason: 'end' };
  return {
    name: 'anthropic',
    async complete() {
      if (network) await new Promise((r) => setImmediate(r));
      return result;
    },
    // eslint-disable-next-line require-yield
    async *stream() {
      throw new Error('not used by this benchmark');
    },
  };
}

function service(network: boolean): LlmService {
  return createLlm(config(), { db: openDatabase({ dataDir: ':memory:', migrations: LLM_MIGRATIONS }), clock: systemClock, makeProvider: () => stub(network) });
}

/** The service's logic before reservations: read the spent amount, call, record. */
async function checkThenCall(llm: LlmService, provider: LlmProvider, messages: LlmMessage[]): Promise<void> {
  if (llm.budget.status().exceeded) throw new Error('budget spent');
  const r = await provider.complete(messages, undefined, { model: MODEL });
  llm.ledger.record({ at: systemClock.now(), agent: 'bench', rule: undefined, callSite: 'agent', provider: 'anthropic', model: MODEL, usage: r.usage, costUsd: costOf(r.usage, priceFor('anthropic', MODEL)), fallback: false });
  llm.budget.check();
}

async function overshoot(parallel: (llm: LlmService) => Promise<unknown>): Promise<{ spent: number; answered: number }> {
  const llm = service(true);
  await parallel(llm);
  const day = llm.budget.status().periods.find((p) => p.period === 'day');
  return { spent: day?.spentUsd ?? Number.NaN, answered: llm.ledger.report({ period: 'day' }).totals.calls };
}

const bench: Bench = async () => {
  const messages: LlmMessage[] = [{ role: 'user', content: PROMPT }];
  const estimate = estimateCostUsd({ messages, maxTokens: 300 }, priceFor('anthropic', MODEL)) ?? Number.NaN;
  const reserved = await overshoot((llm) => Promise.allSettled(Array.from({ length: PARALLEL }, () => llm.complete({ callSite: 'agent', agent: 'bench', messages, maxTokens: 300 }))));
  const provider = stub(true);
  const before = await overshoot((llm) => Promise.allSettled(Array.from({ length: PARALLEL }, () => checkThenCall(llm, provider, messages))));

  // Overhead per call, sequential, no cap in the way (a cap far above what the run spends).
  const timed = async (run: (llm: LlmService) => Promise<unknown>): Promise<number[]> => {
    const llm = service(false);
    llm.budget.setCaps({ day: 1e9 });
    const samples: number[] = [];
    for (let i = 0; i < CALLS + 500; i++) {
      const t0 = nowUs();
      await run(llm);
      if (i >= 500) samples.push(nowUs() - t0);
    }
    return samples;
  };
  const instant = stub(false);
  const conversation = { callSite: 'conversation' as const, agent: 'bench', messages: CONVERSATION };
  const viaService = await timed((llm) => llm.complete(conversation));
  const viaOld = await timed((llm) => checkThenCall(llm, instant, CONVERSATION));
  const estimateUs: number[] = [];
  for (let i = 0; i < 2_000; i++) {
    const t0 = nowUs();
    estimateCostUsd(conversation, priceFor('anthropic', MODEL));
    estimateUs.push(nowUs() - t0);
  }
  const chars = CONVERSATION.reduce((n, m) => n + m.content.length, 0);

  return [
    {
      name: `spent by ${PARALLEL} parallel calls under a $${CAP} cap`,
      value: reserved.spent / CAP,
      unit: 'x cap',
      baseline: { name: 'check-then-call, no reservations', value: before.spent / CAP },
      goal: `<= 1 + one estimate ($${estimate.toFixed(4)}) / cap`,
      met: reserved.spent <= CAP + estimate,
    },
    { name: `calls that reached the provider (of ${PARALLEL})`, value: reserved.answered, unit: 'calls', baseline: { name: 'check-then-call, no reservations', value: before.answered } },
    {
      name: 'call through the service, p50 (40-message conversation)',
      value: percentile(viaService, 50),
      unit: 'us',
      baseline: { name: 'check-then-call, same request', value: percentile(viaOld, 50) },
      // The difference is mostly the estimate's one pass over the prompt (linear in its length).
      goal: '<= 1.5x baseline',
      met: percentile(viaService, 50) <= 1.5 * percentile(viaOld, 50),
    },
    { name: `estimate of a ${chars}-character conversation, p50`, value: percentile(estimateUs, 50), unit: 'us' },
  ];
};

export default bench;
