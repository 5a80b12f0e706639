// The owner's yes or no to "/agents grant door-bot ha:sensitive:lock.front_door", the same way a
// chat confirms a lock (agents/ha/pending.ts): the question waits, keyed by conversation, with an
// expiry; only a "yes" in the same conversation before it lapses applies the grant, anything that
// is not an answer drops it, and a restricted turn (trust.ts) can neither ask nor answer.
import type { Awaiting } from '../../contract/chat.ts';
import type { Clock } from '../../core/clock.ts';
import { DEFAULT_CONFIRMATION_TTL_MS, readAnswer } from '../ha/pending.ts';
import type { AgentSpawner } from '../spawner/agent-spawner.ts';
import type { FollowUp, QuestionCheck } from './intents.ts';
import { isRestricted } from './trust.ts';
import { conversationKey } from './turn-context.ts';

export interface PendingGrant {
  agent: string;
  grant: string;
}

export class GrantQuestions {
  readonly #clock: Clock;
  readonly #spawner: () => AgentSpawner | undefined;
  readonly #ttlMs: number;
  readonly #open = new Map<string, PendingGrant & { expiresAt: number }>();

  constructor(clock: Clock, spawner: () => AgentSpawner | undefined, ttlMs = DEFAULT_CONFIRMATION_TTL_MS) {
    this.#clock = clock;
    this.#spawner = spawner;
    this.#ttlMs = ttlMs;
  }

  /** One question per conversation: a newer one replaces the older. */
  ask(conversation: string, pending: PendingGrant): void {
    this.#open.set(conversation, { ...pending, expiresAt: this.#clock.now() + this.#ttlMs });
  }

  #take(conversation: string): PendingGrant | undefined {
    const p = this.#open.get(conversation);
    this.#open.delete(conversation);
    return p && p.expiresAt > this.#clock.now() ? p : undefined;
  }

  readonly followUp: FollowUp = async (text, ctx) => {
    if (isRestricted(ctx.turn)) return undefined;
    const pending = this.#take(conversationKey(ctx.turn));
    if (!pending) return undefined;
    const answer = readAnswer(text);
    if (answer === undefined) return undefined;
    if (answer === 'no') return { text: `Cancelled: ${pending.agent} was not granted ${pending.grant}.`, agent: 'main' };
    return { text: await applyGrant(this.#spawner(), pending, ctx.turn.user.id), agent: 'main' };
  };

  readonly question: QuestionCheck = (turn) => {
    if (isRestricted(turn)) return undefined;
    const p = this.#open.get(conversationKey(turn));
    return p && p.expiresAt > this.#clock.now() ? ('confirmation' satisfies Awaiting) : undefined;
  };
}

async function applyGrant(spawner: AgentSpawner | undefined, pending: PendingGrant, userId: string): Promise<string> {
  if (!spawner?.grantsOf || !spawner.setGrants) return 'Grants cannot be changed in this setup.';
  const current = spawner.grantsOf(pending.agent);
  if (current === undefined) return `${pending.agent} no longer exists; nothing was granted.`;
  try {
    const out = await spawner.setGrants(pending.agent, [...current, pending.grant], { by: 'user', userId });
    return `🔓 ${pending.agent} now has ${pending.grant}${out.restarted ? ' (restarted with it)' : ' (it applies when the agent next starts)'}. Revoke it with /agents revoke ${pending.agent} ${pending.grant}.`;
  } catch (err) {
    return `${pending.agent} was not granted ${pending.grant}: ${err instanceof Error ? err.message : String(err)}`;
  }
}
