// The planner as main's intent handlers: `pipeline` for PIPELINE, `plan:`/`coordinate:`/
// `pipeline:`, the bypass prefixes and @planner; `followUp` for "yes"/"no"/corrections to a
// pending proposal of the same conversation (and, for a spawn-like request meanwhile, only a
// warning: nothing is spawned or planned until the pending plan is answered).
import type { FollowUp, IntentAnswer, IntentContext, IntentHandlers, QuestionCheck } from '../main/intents.ts';
import { isRestricted } from '../main/trust.ts';
import { userKey } from '../main/turn-context.ts';
import { toHttpPlan } from './contract-views.ts';
import type { Planner, PlannerOutcome, PlansPort, ReplyContext } from './ports.ts';

function replyContext(ctx: IntentContext): ReplyContext {
  return { conversationId: ctx.turn.conversationId, userId: userKey(ctx.turn.user), signal: ctx.signal };
}

function answer(outcome: PlannerOutcome, ctx: IntentContext): IntentAnswer {
  if (outcome.kind === 'proposal') ctx.emit({ type: 'proposal', plan: toHttpPlan(outcome.proposal) });
  if (outcome.kind === 'rule') {
    for (const a of outcome.rule.agentStates) ctx.emit({ type: 'spawn', name: a.name, ok: a.state === 'running', text: `${a.name} (${a.type}) started for rule ${outcome.rule.id}`, agentType: a.type, status: 'spawned' });
  }
  return { text: outcome.text, agent: 'planner' };
}

/** `followUp` answers "yes"/"no"/corrections to this area's proposals (IntentHandlers.followUps). */
export type PlannerIntents = Pick<IntentHandlers, 'pipeline'> & { followUp: FollowUp; question: QuestionCheck };

export function plannerIntentHandlers(planner: Planner, plans: PlansPort): PlannerIntents {
  return {
    pipeline: async (text, ctx, options) => {
      const rc = replyContext(ctx);
      const outcome = await planner.handle({
        text,
        mode: options.mode,
        bypassApproval: options.bypassApproval,
        ...(rc.conversationId !== undefined ? { conversationId: rc.conversationId } : {}),
        ...(rc.userId !== undefined ? { userId: rc.userId } : {}),
        signal: ctx.signal,
      });
      return answer(outcome, ctx);
    },
    followUp: async (text, ctx) => {
      // Approving is the owner's alone (main/trust.ts): a restricted turn's "yes" approves nothing.
      if (isRestricted(ctx.turn)) return undefined;
      const rc = replyContext(ctx);
      const outcome = await plans.handleReply(text, rc);
      if (outcome) return answer(outcome, ctx);
      // A spawn-like request now would make a second plan (or agent) beside the pending one, and
      // which of them a later "yes" approves would be anyone's guess: say so and do nothing else.
      const warning = plans.pendingWarning(text, rc);
      if (warning) return { text: warning, agent: 'planner' };
      // A change to a running rule ("make the porch rule only after sunset"): drafted as an edit.
      const edit = plans.editTarget(text, rc);
      if (edit?.kind === 'answer') return { text: edit.text, agent: 'planner' };
      if (edit) {
        const outcome = await planner.handle({ text, mode: 'pipeline', editOf: edit.ruleId, ...(rc.conversationId !== undefined ? { conversationId: rc.conversationId } : {}), ...(rc.userId !== undefined ? { userId: rc.userId } : {}), signal: ctx.signal });
        return answer(outcome, ctx);
      }
      return undefined;
    },
    question: (turn) => (plans.isWaiting({ conversationId: turn.conversationId, userId: userKey(turn.user) }) ? 'approval' : undefined),
  };
}
