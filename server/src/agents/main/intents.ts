// Where classified requests go. The one-off actuator, the home-assistant-agent and the planner
// are built by other areas; main reaches them only through IntentHandlers, which the runtime
// composes once, whole, before it builds the orchestrator (runtime.ts). askHaAssist is also the
// no-LLM path to Home Assistant's own conversation agent.
import type { Awaiting } from '../../contract/chat.ts';
import type { HaAction } from '../../ha/action.ts';
import type { HaClient } from '../../ha/client.ts';
import type { RouteEvent } from './events.ts';
import { isRestricted, ownerOnly } from './trust.ts';
import type { TurnContext, TurnPlace } from './turn-context.ts';

export interface IntentContext {
  turn: TurnContext;
  /** Aborted when the asker leaves or the system stops. */
  signal: AbortSignal;
  /** Streams an event into the answer: deltas become part of the reply, the rest is shown inline. */
  emit: (event: RouteEvent) => void;
}

export interface IntentAnswer {
  /** Appended to whatever the handler streamed with emit({type:'delta'}). */
  text: string;
  /** Who answered (shown by interfaces): "one-off-actuator", "home-assistant-agent", "planner"... */
  agent: string;
  /** The handler could not help: main's own conversation answers instead (when an LLM exists). */
  fallthrough?: boolean;
}

export interface HomeContext {
  /** Compact map of the entities the request names, with states and services; '' for none. */
  map: string;
  /** Every area of the home, by name. */
  areas: string[];
  /** The area the person is speaking from (a satellite's), by name. */
  here?: string;
}

export interface PipelineOptions {
  /** `pipeline!`, `coordinate!`, `@planner!`: spawn without asking for approval. */
  bypassApproval: boolean;
  /** `coordinate:`/`plan:` ask for a task plan, `pipeline:` and PIPELINE for a reactive rule; @planner lets it decide. */
  mode: 'auto' | 'task' | 'pipeline';
}

/**
 * Claims a follow-up such as "yes" to a question asked earlier in this conversation; undefined
 * lets routing continue.
 */
export type FollowUp = (text: string, ctx: IntentContext) => Promise<IntentAnswer | undefined>;

/** What this area's open question in the conversation waits for, if one does (ChatEvent `done.awaiting`). */
export type QuestionCheck = (turn: TurnContext) => Awaiting | undefined;

export interface IntentHandlers {
  /** Immediate device control (the one-off actuator). */
  actuate(text: string, ctx: IntentContext): Promise<IntentAnswer>;
  /**
   * Immediate device control with the service calls already chosen (main's one-call turn): the
   * same actor, checks, confirmation and trust rules as `actuate`, without its resolver call.
   */
  actuateCalls?(calls: HaAction[], text: string, ctx: IntentContext): Promise<IntentAnswer>;
  /** The part of the home a request names, for main's prompt (issue 15); absent without HA. */
  homeContext?(text: string, place?: TurnPlace): HomeContext;
  /** Questions about and management of Home Assistant (the home-assistant-agent). */
  ha(text: string, ctx: IntentContext): Promise<IntentAnswer>;
  /** Rules and multi-step tasks (the planner). */
  pipeline(text: string, ctx: IntentContext, options: PipelineOptions): Promise<IntentAnswer>;
  /**
   * What a rule did or why it did not act, from its traces (the planner; owner only). `args` are the
   * explain_rule tool's; without them the rule and time are read from the question. Falls through
   * when the question names no rule.
   */
  explainRule?(question: string, ctx: IntentContext, args?: { rule?: string; time?: string }): Promise<IntentAnswer>;
  /**
   * Asked once, in this order, before any routing of plain text (owner's channels only): the
   * first that claims the message answers it.
   */
  followUps: readonly FollowUp[];
  /** Asked after each turn: the first open question of the conversation is reported on `done`. */
  questions?: readonly QuestionCheck[];
}

/** Sends text to Home Assistant's built-in conversation agent and reports what it did. */
export async function askHaAssist(ha: HaClient | undefined, text: string, ctx: IntentContext, agent: string): Promise<IntentAnswer & { understood: boolean }> {
  // HA's own agent acts with the owner's full authority and none of our sensitive checks.
  if (isRestricted(ctx.turn)) return { text: ownerOnly(ctx.turn, "Passing requests to Home Assistant's own conversation agent"), agent, understood: false };
  if (!ha) return { text: 'Home Assistant is not connected, so I cannot do that.', agent, understood: false };
  try {
    const r = await ha.conversation(text, { signal: ctx.signal });
    const speech = r.response.speech?.plain?.speech ?? '';
    const understood = r.response.response_type !== 'error';
    const success = successIds(r.response.data);
    ctx.emit({ type: 'tool', name: 'ha.conversation', ok: understood, text: speech || r.response.response_type, agent: 'home-assistant', entityIds: success });
    return { text: speech || "Home Assistant did not say anything back.", agent, understood };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    ctx.emit({ type: 'tool', name: 'ha.conversation', ok: false, text: message, agent: 'home-assistant' });
    return { text: `Home Assistant could not be asked: ${message}`, agent, understood: false };
  }
}

function successIds(data: unknown): string[] {
  if (data === null || typeof data !== 'object' || !('success' in data) || !Array.isArray(data.success)) return [];
  return data.success.flatMap((s: unknown) => (s !== null && typeof s === 'object' && 'id' in s && typeof s.id === 'string' ? [s.id] : []));
}
