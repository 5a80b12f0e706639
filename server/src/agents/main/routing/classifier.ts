// One cheap LLM call decides where a plain message goes. It must never be what makes the chat
// fail or hang: a refusal, an error, an answer that is not exactly one label, or no answer
// within the timeout all mean OTHER (main's own conversation handles anything).
import type { Clock } from '../../../core/clock.ts';
import type { LlmService } from '../../../llm/index.ts';

export const INTENTS = ['ACTUATE', 'HA', 'PIPELINE', 'RULES', 'OTHER'] as const;
export type Intent = (typeof INTENTS)[number];

export const CLASSIFIER_SYSTEM = `You route messages sent to a Home Assistant orchestrator. Answer with exactly one word:
ACTUATE - control a device right now: turn on/off, open/close, lock/unlock, set a temperature or brightness.
HA - a question about, or management of, Home Assistant itself: current states, entities, areas, devices, automations, hardware advice.
PIPELINE - something that should happen later or repeatedly, when/if/whenever a condition occurs or on a schedule (including notifications).
RULES - a question about what one of the user's existing rules did: why it did or did not fire, when it last ran, what it did today.
OTHER - anything else: conversation, general questions, creating or managing agents, code.`;

export const DEFAULT_CLASSIFIER_TIMEOUT_MS = 8_000;

export interface ClassifyOptions {
  llm: LlmService;
  clock: Clock;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface Classification {
  intent: Intent;
  /** Why OTHER was chosen by default rather than by the model (for logs and tests). */
  fallback?: 'timeout' | 'error' | 'invalid';
}

/** Reads a label out of the model's answer: the first word, quotes and punctuation ignored. */
export function parseIntent(text: string): Intent | undefined {
  const word = text.trim().replace(/^["'`*\s]+/, '').split(/[\s.,:;!"'`*]+/)[0]?.toUpperCase();
  return (INTENTS as readonly string[]).includes(word ?? '') ? (word as Intent) : undefined;
}

export async function classifyIntent(text: string, options: ClassifyOptions): Promise<Classification> {
  const { llm, clock } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_CLASSIFIER_TIMEOUT_MS;
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let timer: { cancel(): void } | undefined;
  const late = new Promise<Classification>((resolve) => {
    timer = clock.setTimeout(() => {
      abort.abort(new Error('classifier timed out'));
      resolve({ intent: 'OTHER', fallback: 'timeout' });
    }, timeoutMs);
  });
  const call = llm
    .complete({
      callSite: 'classifier',
      agent: 'main',
      system: CLASSIFIER_SYSTEM,
      messages: [{ role: 'user', content: text }],
      maxTokens: 5,
      temperature: 0,
      signal: abort.signal,
    })
    .then(
      (r): Classification => {
        const intent = parseIntent(r.text);
        return intent ? { intent } : { intent: 'OTHER', fallback: 'invalid' };
      },
      (): Classification => ({ intent: 'OTHER', fallback: abort.signal.aborted ? 'timeout' : 'error' }),
    );
  try {
    return await Promise.race([call, late]);
  } finally {
    timer?.cancel();
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}
