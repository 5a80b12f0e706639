// The owner's yes or no to "/agents grant door-bot ha:sensitive:lock.front_door", the same way a
// chat confirms a lock (agents/ha/pending.ts): the question waits, keyed by conversation, with an
// expiry; only a "yes" in the same conversation before it lapses applies the grant, anything that
// is not an answer drops it, and a restricted turn (trust.ts) can neither ask nor answer.
import type { Awaiting } from '../../contract/chat.ts';
import type { Clock } from '../../core/clock.ts';
import { DEFAULT_CONFIRMATION_TTL_MS, PendingConfirmations, readAnswer } from '../ha/pending.ts';
import type { AgentSpawner } from '../spawner/agent-spawner.ts';
import type { FollowUp, QuestionCheck } from './intents.ts';
import { isRestricted } from './trust.ts';
import { conversationKey } from './turn-context.ts';

export interface PendingGrant {
  agent: string;
  grant: string;
}

export class GrantQuestions {
  readonly #spawner: () => AgentSpawner | undefined;
  readonly #open: PendingConfirmations<PendingGrant>;

  constructor(clock: Clock, spawner: () => AgentSpawner | undefined, ttlMs = DEFAULT_CONFIRMATION_TTL_MS) {
    this.#spawner = spawner;
    this.#open = new PendingConfirmations<PendingGrant>(clock, ttlMs);
  }

  /** One question per conversation: a newer one replaces the older. */
  ask(conversation: string, pending: PendingGrant): void {
    this.#open.put(conversation, pending);
  }

  readonly followUp: FollowUp = async (text, ctx) => {
    if (isRestricted(ctx.turn)) return undefined;
    const pending = this.#open.take(conversationKey(ctx.turn));
    if (!pending) return undefined;
    const answer = readAnswer(text);
    if (answer === undefined) return undefined;
    if (answer === 'no') return { text: `Cancelled: ${pending.agent} was not granted ${pending.grant}.`, agent: 'main' };
    return { text: await applyGrant(this.#spawner(), pending, ctx.turn.user.id), agent: 'main' };
  };

  readonly question: QuestionCheck = (turn) => {
    if (isRestricted(turn)) return undefined;
    return this.#open.peek(conversationKey(turn)) ? ('confirmation' satisfies Awaiting) : undefined;
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
