// A turn's events → the WhatsApp messages that answer it. WhatsApp cannot edit a sent message, so
// there is no streaming: the final reply goes out once, split at 4096 characters. A proposal gets
// Approve / Reject reply buttons whose ids carry the plan id; a question waiting for yes or no gets
// Yes / No. A button reply comes back as the turn a person would have typed (`/plans approve
// <id>`, `yes`), so buttons and typing behave the same.
import type { Awaiting, ChatEvent } from '../../contract/chat.ts';
import { splitMessage } from '../channels/split.ts';
import type { ReplyButton } from './graph-api.ts';

export const TEXT_LIMIT = 4096;
/** Cloud API limits of an interactive reply-button message. */
export const BUTTON_BODY_LIMIT = 1024;
export const BUTTON_TITLE_LIMIT = 20;

export type Outgoing = { kind: 'text'; body: string } | { kind: 'buttons'; body: string; buttons: ReplyButton[] };

export interface TurnResult {
  reply: string;
  awaiting?: Awaiting;
  plan?: { id: string; title: string };
  error?: string;
}

const PLAN_ID = /^[\w-]{1,64}$/;

/** What a pressed button means, as the text of the next turn. */
export function buttonTurnText(buttonId: string, title: string): string {
  const m = /^plan:(approve|reject):(.+)$/.exec(buttonId);
  if (m && PLAN_ID.test(m[2])) return `/plans ${m[1]} ${m[2]}`;
  if (buttonId === 'confirm:yes') return 'yes';
  if (buttonId === 'confirm:no') return 'no';
  // A button we did not make (a template's quick reply): its label is what the person chose.
  return title;
}

export async function collectTurn(events: AsyncIterable<ChatEvent>): Promise<TurnResult> {
  let plan: TurnResult['plan'];
  for await (const ev of events) {
    if (ev.type === 'proposal') plan = { id: ev.plan.id, title: ev.plan.title };
    else if (ev.type === 'error') return { reply: '', error: ev.message };
    else if (ev.type === 'done') return { reply: ev.reply, ...(ev.awaiting ? { awaiting: ev.awaiting } : {}), ...(plan ? { plan } : {}) };
  }
  return { reply: '', error: 'The turn ended without an answer.' };
}

export function answerMessages(result: TurnResult): Outgoing[] {
  if (result.error !== undefined) return [{ kind: 'text', body: `Sorry, that did not work: ${result.error}` }];
  const reply = result.reply.trim() === '' ? '(no answer)' : result.reply;
  const buttons = buttonsFor(result);
  if (!buttons) return splitMessage(reply, TEXT_LIMIT).map((body) => ({ kind: 'text', body }));
  if (reply.length <= BUTTON_BODY_LIMIT) return [{ kind: 'buttons', body: reply, buttons }];
  // Too long for a button message's body: the answer as text, then a short question with buttons.
  const question = result.plan ? `Approve "${result.plan.title}"?` : 'Yes or no?';
  return [...splitMessage(reply, TEXT_LIMIT).map((body): Outgoing => ({ kind: 'text', body })), { kind: 'buttons', body: truncate(question, BUTTON_BODY_LIMIT), buttons }];
}

function buttonsFor(result: TurnResult): ReplyButton[] | undefined {
  if (result.plan && PLAN_ID.test(result.plan.id)) {
    return [
      { id: `plan:approve:${result.plan.id}`, title: 'Approve' },
      { id: `plan:reject:${result.plan.id}`, title: 'Reject' },
    ];
  }
  // A plan waiting without its proposal in this turn (a reminder) is approved by "yes" too.
  if (result.awaiting === 'confirmation' || result.awaiting === 'approval') {
    return [
      { id: 'confirm:yes', title: 'Yes' },
      { id: 'confirm:no', title: 'No' },
    ];
  }
  return undefined;
}

function truncate(s: string, limit: number): string {
  return s.length <= limit ? s : `${s.slice(0, limit - 1)}…`;
}
