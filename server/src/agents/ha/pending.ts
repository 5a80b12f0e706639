// Questions waiting for the user's answer, keyed by conversation: "This would unlock the front
// door. Go ahead?" and "Which automation: 1) ... 2) ...?". The orchestrator passes the user's next
// message back (IntentHandlers.followUp); an answer arriving after the expiry finds nothing, so a
// stray "yes" hours later never unlocks a door. One question per conversation: a newer one
// replaces the older. Generic over what is asked: the HA agents' questions here, and the owner's
// other yes/no questions (agent grants, node removal) in a store of their own.
import type { Clock } from '../../core/clock.ts';
import type { HaAction } from '../../ha/action.ts';

export const DEFAULT_CONFIRMATION_TTL_MS = 2 * 60_000;

export interface AutomationRef {
  id: string;
  alias: string;
  entity_id: string;
}

export type PendingQuestion =
  | { kind: 'actuate'; question: string; calls: HaAction[]; request: string }
  | { kind: 'automation_choice'; question: string; op: 'delete' | 'edit'; request: string; candidates: AutomationRef[] };

export type Pending<Q extends object = PendingQuestion> = Q & { expiresAt: number };

export class PendingConfirmations<Q extends object = PendingQuestion> {
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #byConversation = new Map<string, Pending<Q>>();

  constructor(clock: Clock, ttlMs = DEFAULT_CONFIRMATION_TTL_MS) {
    this.#clock = clock;
    this.#ttlMs = ttlMs;
  }

  get ttlMs(): number {
    return this.#ttlMs;
  }

  put(conversation: string, question: Q): Pending<Q> {
    this.#sweep();
    const pending = { ...question, expiresAt: this.#clock.now() + this.#ttlMs };
    this.#byConversation.set(conversation, pending);
    return pending;
  }

  /** The live question of a conversation, if any (an expired one is dropped). */
  peek(conversation: string): Pending<Q> | undefined {
    const p = this.#byConversation.get(conversation);
    if (!p) return undefined;
    if (p.expiresAt <= this.#clock.now()) {
      this.#byConversation.delete(conversation);
      return undefined;
    }
    return p;
  }

  /** Removes and returns the live question: an answer is used once. */
  take(conversation: string): Pending<Q> | undefined {
    const p = this.peek(conversation);
    this.#byConversation.delete(conversation);
    return p;
  }

  get size(): number {
    this.#sweep();
    return this.#byConversation.size;
  }

  #sweep(): void {
    const now = this.#clock.now();
    for (const [k, p] of this.#byConversation) if (p.expiresAt <= now) this.#byConversation.delete(k);
  }
}

const YES = /^(y|yes|yeah|yep|yup|sure|ok|okay|confirm(ed)?|do it|go ahead|proceed|please do|approved?)\b/i;
const NO = /^(n|no|nope|nah|cancel|stop|abort|don'?t|do not|never ?mind)\b/i;

/** A plain yes or no; undefined for anything else (which is a new request, not an answer). */
export function readAnswer(text: string): 'yes' | 'no' | undefined {
  const t = text.trim().replace(/^[\s"'«“]+|[\s"'»”.!]+$/g, '');
  if (YES.test(t)) return 'yes';
  if (NO.test(t)) return 'no';
  return undefined;
}
