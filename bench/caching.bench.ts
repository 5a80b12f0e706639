// `npm run bench caching`: what prompt caching saves on a conversation (issue 15). The whole
// runtime (demo home, embedded broker, SQLite) holds a 6-turn conversation (device commands,
// state questions, chit-chat) with a scripted model server that counts each prompt's tokens and
// simulates the provider's prompt cache (tests/helpers/fake-llm/cache.ts). For each turn: the
// input billed (every call of the turn, fact extraction included) at the model's prices, cache
// reads and writes at their rates. The baseline, in the same run: the same conversation without
// caching (Anthropic: LLM_PROMPT_CACHE=false, no cache marks; OpenAI caches by itself and cannot
// be told not to, so its baseline is the same server without a cache). Sonnet 4.6 runs twice:
// with its documented minimum cacheable prefix (1,024 tokens) and with the 2,048 users report
// (anthropic-cache.ts); the server's marks are the same in both.
import { join } from 'node:path';
import { FACTS_SYSTEM } from '../server/src/agents/main/memory/facts-extractor.ts';
import { loadConfig } from '../server/src/config/load.ts';
import type { LedgerEntry } from '../server/src/llm/ledger.ts';
import { costOf, priceFor } from '../server/src/llm/pricing.ts';
import type { ProviderName, Usage } from '../server/src/llm/types.ts';
import { startRuntime } from '../server/src/runtime.ts';
import { FAKE_KEYS, reply, startFakeLlm, systemText, userWords, type FakeReply, type FakeRequest } from '../tests/helpers/fake-llm/index.ts';
import { quietLogger } from '../tests/helpers/ha.ts';
import { makeTempDir } from '../tests/helpers/tmp.ts';
import type { Bench, BenchResult } from './harness.ts';

const TURNS = [
  { kind: 'device command', text: 'turn on the hallway light', calls: [{ domain: 'light', service: 'turn_on', entity_id: 'light.hallway' }] },
  { kind: 'chit-chat', text: 'tell me a joke' },
  { kind: 'state question', text: 'what is the living room temperature?' },
  { kind: 'device command', text: 'turn off the hallway light', calls: [{ domain: 'light', service: 'turn_off', entity_id: 'light.hallway' }] },
  { kind: 'chit-chat', text: 'another one, about thermostats' },
  { kind: 'device command', text: 'turn on the kitchen light', calls: [{ domain: 'light', service: 'turn_on', entity_id: 'light.kitchen' }] },
] as const;

function answer(r: FakeRequest): FakeReply {
  if (systemText(r).includes(FACTS_SYSTEM.slice(0, 60))) return reply.text('{"facts":[]}');
  const words = userWords(r);
  const turn = TURNS.find((t) => t.text === words);
  if (turn && 'calls' in turn) return reply.tool('control_devices', { calls: turn.calls });
  if (words.includes('temperature')) return reply.text('It is 21.5 °C in the living room.');
  return reply.text('Why did the thermostat break up with the heater? It needed some space to cool down.');
}

/** Input billed per turn (output left out: caching does not change it), in USD, per pricing model. */
async function conversation(run: Run, cached: boolean): Promise<number[][]> {
  const { protocol, model, pricedAs } = run;
  const dir = makeTempDir('wactorz-bench-caching-');
  // The Anthropic baseline keeps the simulated cache: without marks it caches nothing, as the API.
  const fake = await startFakeLlm({ respond: answer, promptCache: { off: !cached && protocol === 'openai', ...(run.minimums ? { anthropicMinimums: run.minimums } : {}) } });
  const env: Record<string, string> = {
    WACTORZ_DATA_DIR: dir.path,
    MQTT_EMBEDDED_PORT: '0',
    WACTORZ_DEMO: 'true',
    LLM_PROVIDER: protocol,
    LLM_MODEL: model,
    LLM_PROMPT_CACHE: String(cached),
    ...(protocol === 'anthropic' ? { ANTHROPIC_API_KEY: FAKE_KEYS.anthropic, ANTHROPIC_BASE_URL: fake.anthropicBaseUrl } : { OPENAI_API_KEY: FAKE_KEYS.openai, OPENAI_BASE_URL: fake.openaiBaseUrl }),
  };
  const config = { ...loadConfig({ env, argv: [], optionsFile: join(dir.path, 'none.json') }), port: 0 };
  const runtime = await startRuntime({ config, logger: quietLogger() });
  const calls: LedgerEntry[] = [];
  const off = runtime.llm.onCall((e) => calls.push(e));
  const perTurn: number[][] = [];
  try {
    for (const turn of TURNS) {
      await runtime.orchestrator.idle();
      calls.length = 0;
      for await (const e of runtime.orchestrator.process(turn.text, { user: { id: 'bench' }, channel: 'panel', conversationId: 'bench-caching' })) void e;
      await runtime.orchestrator.idle();
      if (calls.length === 0) throw new Error(`"${turn.text}" made no model call`);
      perTurn.push(pricedAs.map((m) => calls.reduce((usd, c) => usd + inputCost(c.usage, c.provider, m), 0)));
    }
  } finally {
    off();
    await runtime.stop();
    await fake.close();
    dir.cleanup();
  }
  return perTurn;
}

function inputCost(usage: Usage, provider: ProviderName, model: string): number {
  const price = priceFor(provider, model);
  if (!price) throw new Error(`${provider}:${model} has no price`);
  return costOf({ ...usage, outputTokens: 0 }, price) ?? 0;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

interface Run {
  protocol: 'anthropic' | 'openai';
  model: string;
  /** Prices the same conversation is billed at. */
  pricedAs: readonly string[];
  /** The simulated cache's minimum prefix instead of the documented one (fake-llm/cache.ts). */
  minimums?: Record<string, number>;
  /** What the label adds about the simulation. */
  note?: string;
}

const bench: Bench = async () => {
  const results: BenchResult[] = [];
  // Anthropic: the minimum cacheable prefix depends on the model, so each is its own
  // conversation; Sonnet 4.6 (the default) at its documented 1,024 tokens and at the reported
  // 2,048. OpenAI: every model caches from 1,024 tokens; one conversation priced at three cache
  // discounts.
  const runs: Run[] = [
    { protocol: 'anthropic', model: 'claude-sonnet-4-5', pricedAs: ['claude-sonnet-4-5'] },
    { protocol: 'anthropic', model: 'claude-sonnet-4-6', pricedAs: ['claude-sonnet-4-6'], note: 'minimum 1,024 documented' },
    { protocol: 'anthropic', model: 'claude-sonnet-4-6', pricedAs: ['claude-sonnet-4-6'], minimums: { 'claude-sonnet-4-6': 2048 }, note: 'minimum 2,048 reported' },
    { protocol: 'openai', model: 'gpt-4.1', pricedAs: ['gpt-4.1', 'gpt-5-mini', 'gpt-4o'] },
  ];
  for (const run of runs) {
    const withCache = await conversation(run, true);
    const without = await conversation(run, false);
    run.pricedAs.forEach((priced, p) => {
      const label = `${run.protocol} ${priced}${priced === run.model ? '' : ` (prices; ${run.model}'s conversation)`}${run.note ? ` (${run.note})` : ''}`;
      TURNS.forEach((turn, i) => {
        const value = (withCache[i]?.[p] ?? 0) * 1e6;
        const base = (without[i]?.[p] ?? 0) * 1e6;
        results.push({ name: `${label}: turn ${i + 1} (${turn.kind}) input billed`, value, unit: 'µUSD', baseline: { name: 'no caching', value: base } });
      });
      const repeated = sum(withCache.slice(1).map((t) => t[p] ?? 0));
      const baseline = sum(without.slice(1).map((t) => t[p] ?? 0));
      results.push({
        name: `${label}: turns 2-${TURNS.length} input billed`,
        value: repeated * 1e6,
        unit: 'µUSD',
        baseline: { name: 'no caching', value: baseline * 1e6 },
        goal: '<= 40% of no caching',
        met: repeated <= 0.4 * baseline,
      });
    });
  }
  return results;
};

export default bench;
