// After each exchange main asks a cheap model (call site 'facts') for durable facts worth
// remembering, in the background so the user never waits for it. The answer is untrusted text:
// it must be JSON of the expected shape, each fact is checked, and anything that looks like a
// secret is dropped (secrets have their own store and never become "facts").
import { z } from 'zod';
import type { Logger } from '../../../logger.ts';
import type { LlmService } from '../../../llm/index.ts';
import { FACT_CATEGORIES, type Fact, type FactCategory, type FactsStore } from './facts-store.ts';
import { findWebhooks } from './webhook-urls.ts';

export const FACTS_SYSTEM = `You maintain the long-term memory of a Home Assistant assistant. Read the exchange and extract durable facts worth remembering across conversations:
- the Home Assistant URL, entity ids and what they are ("kitchen_light": "light.kitchen_ceiling")
- the user's name, the people in the home, their preferences
- where devices are (rooms, areas, floors), setup details the user stated
Do not extract passing requests ("turn on the light"), questions, or anything the assistant said on its own.
Never include passwords, tokens, API keys or webhook URLs.
Reuse an existing key to update a fact. Keys are short snake_case.
Answer with JSON only: {"facts":[{"key":"...","value":"...","category":"home_assistant|entity|preference|person|location|other"}]}, or {"facts":[]}.`;

const Key = z
  .string()
  .transform((k) => k.trim().toLowerCase().replace(/[\s-]+/g, '_'))
  .pipe(z.string().regex(/^[a-z0-9][a-z0-9_.]{0,63}$/));

const ExtractedFact = z.object({
  key: Key,
  value: z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v).trim()).pipe(z.string().min(1).max(500)),
  category: z
    .string()
    .optional()
    .transform((c): FactCategory => ((FACT_CATEGORIES as readonly string[]).includes(c ?? '') ? (c as FactCategory) : 'other')),
});

const ExtractedFacts = z.object({ facts: z.array(z.unknown()).max(20) });

export type ExtractedFact = z.infer<typeof ExtractedFact>;

const SECRET_KEY = /(pass(word)?|token|secret|api_?key|webhook|credential|private)/i;
const LONG_TOKEN = /[A-Za-z0-9_\-+/=]{32,}/;

/** Facts that must not be stored: anything shaped like a credential. */
export function looksSecret(fact: { key: string; value: string }): boolean {
  return SECRET_KEY.test(fact.key) || findWebhooks(fact.value).length > 0 || LONG_TOKEN.test(fact.value) || /\bbearer\s+\S/i.test(fact.value);
}

/** The model's answer -> valid, non-secret facts; anything else yields nothing. */
export function parseFacts(text: string): ExtractedFact[] {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start === -1 || end <= start) return [];
  let json: unknown;
  try {
    json = JSON.parse(text.slice(start, end + 1));
  } catch {
    return [];
  }
  const outer = ExtractedFacts.safeParse(json);
  if (!outer.success) return [];
  const out: ExtractedFact[] = [];
  for (const raw of outer.data.facts) {
    const fact = ExtractedFact.safeParse(raw);
    if (fact.success && !looksSecret(fact.data)) out.push(fact.data);
  }
  return out;
}

/**
 * Words with which people state something about themselves or their home ("my name is", "we
 * have", "the lamp in the office is", "remember", "call me"). Extraction costs a call per turn;
 * a command or a question without them ("turn on the porch lamp", "tell me a joke") states
 * nothing durable, so it is not sent.
 */
const STATES_SOMETHING = /\b(my|mine|our|ours|i am|i'm|im|we are|we're|i have|i've|we have|we've|i live|we live|i work|i prefer|we prefer|i like|i love|i hate|i don'?t like|call me|remember|forget|is called|are called|is named|named|belongs to|lives? (in|at)|is (in|on) the)\b/i;

/** Whether the user's message plausibly states a fact worth an extraction call. */
export function mayStateFact(userText: string): boolean {
  return STATES_SOMETHING.test(userText);
}

export interface Exchange {
  /** Secrets already masked. */
  user: string;
  assistant: string;
  userId: string;
  conversationId: string;
  at: number;
}

export interface FactsExtractorOptions {
  llm: LlmService;
  store: FactsStore;
  logger?: Logger;
  /** Called with the facts saved from one exchange (the panel's memory view listens). */
  onSaved?: (facts: Fact[]) => void;
}

export class FactsExtractor {
  readonly #options: FactsExtractorOptions;
  readonly #pending = new Set<Promise<void>>();
  #abort = new AbortController();

  constructor(options: FactsExtractorOptions) {
    this.#options = options;
  }

  /** Starts an extraction in the background; never throws and never blocks the caller. */
  schedule(exchange: Exchange): void {
    const work = this.extract(exchange).then(
      () => undefined,
      (err: unknown) => this.#options.logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'fact extraction failed'),
    );
    this.#pending.add(work);
    void work.finally(() => this.#pending.delete(work));
  }

  /** Runs one extraction now and returns the facts saved. */
  async extract(exchange: Exchange): Promise<Fact[]> {
    const { llm, store } = this.#options;
    const known = store.list().map((f) => `${f.key}: ${f.value}`);
    const prompt = [
      known.length ? `Facts already known:\n${known.join('\n')}` : 'No facts are known yet.',
      '',
      `User: ${exchange.user}`,
      `Assistant: ${exchange.assistant.slice(0, 2000)}`,
    ].join('\n');
    const r = await llm.complete({
      callSite: 'facts',
      agent: 'main',
      system: FACTS_SYSTEM,
      messages: [{ role: 'user', content: prompt }],
      maxTokens: 600,
      temperature: 0,
      signal: this.#abort.signal,
    });
    const saved: Fact[] = [];
    for (const fact of parseFacts(r.text)) {
      const existing = store.get(fact.key);
      if (existing?.value === fact.value) continue;
      saved.push(
        store.upsert({
          ...fact,
          source: { kind: 'chat', userId: exchange.userId, conversationId: exchange.conversationId, excerpt: exchange.user.slice(0, 160), at: exchange.at },
        }),
      );
    }
    if (saved.length) this.#options.onSaved?.(saved);
    return saved;
  }

  /** Resolves when every scheduled extraction has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  /** Aborts extractions in flight. */
  async stop(): Promise<void> {
    this.#abort.abort(new Error('stopping'));
    await this.idle();
    this.#abort = new AbortController();
  }
}
