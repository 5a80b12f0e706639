// The inline buttons the bot offers and the callback data they carry back. Telegram caps callback
// data at 64 bytes and hands it back verbatim from whoever taps, so it is parsed strictly: a plan
// id must look like one (the planner's are 8 hex characters) before it is put into a
// `/plans approve <id>` turn, and anything else is not a button of ours.
import { InlineKeyboard } from 'grammy';
import type { Plan } from '../../contract/plans.ts';

export type ButtonAction =
  | { kind: 'plan'; decision: 'approve' | 'reject'; planId: string }
  | { kind: 'confirm'; answer: 'yes' | 'no' };

const PLAN_ID = /^[A-Za-z0-9_-]{1,40}$/;

export function parseButton(data: string): ButtonAction | undefined {
  const plan = /^plan:(approve|reject):(.+)$/.exec(data);
  if (plan) return PLAN_ID.test(plan[2]) ? { kind: 'plan', decision: plan[1] as 'approve' | 'reject', planId: plan[2] } : undefined;
  const confirm = /^confirm:(yes|no)$/.exec(data);
  return confirm ? { kind: 'confirm', answer: confirm[1] as 'yes' | 'no' } : undefined;
}

/** The chat text a button stands for: exactly what the person could have typed instead. */
export function turnTextOf(action: ButtonAction): string {
  return action.kind === 'plan' ? `/plans ${action.decision} ${action.planId}` : action.answer;
}

/** What the tapped message says afterwards, in place of its buttons. */
export function decisionLine(action: ButtonAction, who: string): string {
  if (action.kind === 'plan') return action.decision === 'approve' ? `✅ Approve, chosen by ${who}` : `❌ Reject, chosen by ${who}`;
  return action.answer === 'yes' ? `✅ Yes, answered by ${who}` : `❌ No, answered by ${who}`;
}

export function planKeyboard(plan: Pick<Plan, 'id'>): InlineKeyboard {
  return new InlineKeyboard().text('✅ Approve', `plan:approve:${plan.id}`).text('❌ Reject', `plan:reject:${plan.id}`);
}

export function confirmKeyboard(): InlineKeyboard {
  return new InlineKeyboard().text('✅ Yes', 'confirm:yes').text('❌ No', 'confirm:no');
}

/** A proposal as a message: what would run, what validation said, and how to decide by hand. */
export function planCard(plan: Plan): string {
  const agents = plan.agents.map((a) => `• ${a.name} (${a.type}): ${a.description}${a.trigger ? ` [${a.trigger}]` : ''}`);
  const v = plan.validation;
  const checks = [...v.errors.map((e) => `✗ ${e}`), ...v.warnings.map((w) => `! ${w}`)];
  const decide = plan.status === 'pending' ? `Approve or reject below, or type /plans approve ${plan.id}.` : `Status: ${plan.status}${plan.reason ? ` (${plan.reason})` : ''}.`;
  const body = [
    `📋 Proposal ${plan.id}: ${plan.title}`,
    plan.summary,
    ...(agents.length ? ['', 'Agents:', ...agents] : []),
    ...(checks.length ? ['', v.ok ? 'Validation passed with warnings:' : 'Validation FAILED:', ...checks] : []),
  ].join('\n');
  // One message, buttons under it: a huge plan is cut (/plans show <id> has it all), not split.
  const room = CARD_LIMIT - decide.length - 2;
  return `${body.length > room ? `${body.slice(0, room - 1)}…` : body}\n\n${decide}`;
}

/** Room for the card and the decision line appended to it after a tap. */
const CARD_LIMIT = 3900;

/** Whether a proposal can still be decided from its card (the planner only takes pending ones). */
export function isDecidable(plan: Pick<Plan, 'id' | 'status'>): boolean {
  return plan.status === 'pending' && PLAN_ID.test(plan.id);
}
