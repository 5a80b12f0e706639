// The orchestrator's door to the HA agents (IntentHandlers of agents/main/intents.ts):
//   actuate(text)  -> an ephemeral one-off actuator per request, removed after it answered;
//   actuateCalls(calls) -> the same, with the calls main's one-call turn already resolved;
//   homeContext(text) -> the part of the home the request names, for main's prompt;
//   ha(text)       -> the home-assistant-agent;
//   followUp(text) -> the user's answer to a question one of them asked in this conversation.
// Questions wait in a PendingConfirmations store keyed by conversation, with an expiry:
// "This would unlock Front Door Lock... Reply yes or no" keeps the resolved calls, and only a
// "yes" in the same conversation before the expiry executes them (nothing is re-resolved by the
// LLM in between); "Which automation should I delete? 1... 2..." keeps the candidates. Anything
// that is not an answer lets the question lapse and is routed as a new request.
// A restricted turn (an agent or the MQTT broker, see main/trust.ts) is never asked such a
// question and cannot answer one: sensitive actions are refused outright, and the
// home-assistant-agent only answers it questions (no automation is created, changed or deleted).
import { randomUUID } from 'node:crypto';
import type { ActorSystem } from '../../core/system.ts';
import type { HaClient } from '../../ha/client.ts';
import type { FollowUp, IntentAnswer, IntentContext, IntentHandlers, QuestionCheck } from '../main/intents.ts';
import { isRestricted, ownerOnly } from '../main/trust.ts';
import { conversationKey } from '../main/turn-context.ts';
import { HA_AGENT_NAME, type HaAgentReply } from './assistant/ha-agent.ts';
import { chooseFromAnswer } from './assistant/fuzzy.ts';
import { OneOffActuator, type OneOffRequest, type OneOffResult } from './one-off/one-off-agent.ts';
import type { HaLlm } from './one-off/resolve.ts';
import { readAnswer, type PendingConfirmations } from './pending.ts';
import { relevantMap } from './relevant-map.ts';
import { entitiesOf } from './service-calls.ts';

export const ONE_OFF_AGENT = 'one-off-actuator';
/** The seeds' one-shot actuation timeout, plus room for the HA calls. */
const ONE_OFF_TIMEOUT_MS = 150_000;
const HA_AGENT_TIMEOUT_MS = 180_000;

export interface HaIntentDeps {
  system: ActorSystem;
  ha: HaClient;
  llm: HaLlm | undefined;
  pending: PendingConfirmations;
  haAgentName?: string;
  callTimeoutMs?: number;
}

/** `followUp` answers this area's questions; the orchestrator asks it before routing (IntentHandlers.followUps). */
export type HaIntentHandlers = Pick<IntentHandlers, 'actuate' | 'ha'> & Required<Pick<IntentHandlers, 'actuateCalls' | 'homeContext'>> & { followUp: FollowUp; question: QuestionCheck };

export function haIntentHandlers(deps: HaIntentDeps): HaIntentHandlers {
  const agentName = deps.haAgentName ?? HA_AGENT_NAME;

  const askHaAgent = async (payload: unknown): Promise<HaAgentReply> => {
    try {
      return await deps.system.ask<HaAgentReply>(agentName, payload, { timeoutMs: HA_AGENT_TIMEOUT_MS });
    } catch (err) {
      const message = `The home-assistant-agent did not answer: ${err instanceof Error ? err.message : String(err)}`;
      return { status: 'error', text: message, error: { code: 'unavailable', message } };
    }
  };

  const haAnswer = (reply: HaAgentReply, ctx: IntentContext, request: string): IntentAnswer => {
    if (reply.status === 'needs_choice') {
      deps.pending.put(conversationKey(ctx.turn), { kind: 'automation_choice', question: reply.text, op: reply.op, candidates: reply.candidates, request });
    }
    // Not understood, or no LLM to understand it: main's own conversation may still answer.
    const fallthrough = reply.status === 'error' && (reply.error.code === 'not_understood' || reply.error.code === 'no_llm');
    return { text: reply.text, agent: agentName, ...(fallthrough ? { fallthrough } : {}) };
  };

  const actuateAnswer = (result: OneOffResult, ctx: IntentContext, request: string): IntentAnswer => {
    if (result.status === 'needs_confirmation' && isRestricted(ctx.turn)) {
      return { text: ownerOnly(ctx.turn, `Operating ${result.sensitive.join(', ')}`), agent: ONE_OFF_AGENT };
    }
    if (result.status === 'needs_confirmation') {
      deps.pending.put(conversationKey(ctx.turn), { kind: 'actuate', question: result.text, calls: result.calls, request });
    } else if (result.calls.length > 0) {
      ctx.emit({ type: 'tool', name: 'ha.call_service', ok: result.status === 'done', text: result.text, agent: ONE_OFF_AGENT, entityIds: result.calls.flatMap(entitiesOf) });
    }
    // Without an LLM nothing here can resolve a request: the orchestrator's own fallback may.
    return { text: result.text, agent: ONE_OFF_AGENT, ...(deps.llm ? {} : { fallthrough: true }) };
  };

  const followUp: FollowUp = async (text, ctx) => {
    if (isRestricted(ctx.turn)) return undefined;
    const key = conversationKey(ctx.turn);
    const pending = deps.pending.peek(key);
    if (!pending) return undefined;
    const answer = readAnswer(text);
    if (pending.kind === 'actuate') {
      deps.pending.take(key);
      if (answer === undefined) return undefined;
      if (answer === 'no') return { text: 'Cancelled: nothing was done.', agent: ONE_OFF_AGENT };
      const result = await runOneOff(deps, { text: pending.request, calls: pending.calls, confirmed: true }, ctx.signal);
      return actuateAnswer(result, ctx, pending.request);
    }
    if (answer === 'no') {
      deps.pending.take(key);
      return { text: `Cancelled: no automation was ${pending.op === 'delete' ? 'deleted' : 'changed'}.`, agent: agentName };
    }
    const only = pending.candidates.length === 1 ? pending.candidates[0] : undefined;
    const chosen = answer === 'yes' ? only : chooseFromAnswer(text, pending.candidates);
    if (!chosen) {
      if (answer === 'yes') return { text: pending.question, agent: agentName };
      deps.pending.take(key);
      return undefined;
    }
    deps.pending.take(key);
    return haAnswer(await askHaAgent({ action: 'request', text: pending.request, automation_id: chosen.id, op: pending.op }), ctx, pending.request);
  };

  return {
    followUp,
    question(turn) {
      const open = isRestricted(turn) ? undefined : deps.pending.peek(conversationKey(turn));
      return open === undefined ? undefined : open.kind === 'actuate' ? 'confirmation' : 'choice';
    },
    async actuate(text, ctx) {
      return actuateAnswer(await runOneOff(deps, { text }, ctx.signal), ctx, text);
    },
    // Main's one-call turn resolved the calls itself: the same actor checks, confirms and runs them.
    async actuateCalls(calls, text, ctx) {
      return actuateAnswer(await runOneOff(deps, { text, calls }, ctx.signal), ctx, text);
    },
    homeContext(text, place) {
      // The satellite's area counts as said, so its devices are on the map the model sees.
      const here = place?.areaId ? deps.ha.registries().areas.find((a) => a.area_id === place.areaId)?.name : undefined;
      const map = relevantMap(deps.ha, here ? `${text} ${here}` : text);
      return here ? { ...map, here } : map;
    },
    async ha(text, ctx) {
      return haAnswer(await askHaAgent({ action: 'request', text, ...(isRestricted(ctx.turn) ? { read_only: true } : {}) }), ctx, text);
    },
  };
}

/** Spawns a one-off actuator for one request, waits for its answer, and removes it. */
export async function runOneOff(deps: Pick<HaIntentDeps, 'system' | 'ha' | 'llm' | 'callTimeoutMs'>, request: OneOffRequest, signal?: AbortSignal): Promise<OneOffResult> {
  const actor = await deps.system.spawn(new OneOffActuator(`${ONE_OFF_AGENT}-${randomUUID().slice(0, 8)}`, request, { ha: deps.ha, llm: deps.llm, callTimeoutMs: deps.callTimeoutMs }));
  const onAbort = () => void deps.system.stopActor(actor.id);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await deps.system.ask<OneOffResult>(actor.id, 'run', { timeoutMs: ONE_OFF_TIMEOUT_MS });
  } catch (err) {
    return { status: 'failed', text: `The request was not carried out: ${err instanceof Error ? err.message : String(err)}`, calls: [] };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await deps.system.deleteActor(actor.id);
  }
}
