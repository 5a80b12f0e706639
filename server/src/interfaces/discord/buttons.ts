// The buttons under an answer that asks something: Approve / Reject on a rule proposal, Yes / No
// on a sensitive action's confirmation. A click is turned into the message a person would have
// typed (`/plans approve <id>`, `yes`) and runs as a turn in the same conversation, so buttons
// add no second way of deciding. The custom_id (at most 100 characters) carries what the turn
// needs: the plan id, or the asker's user id, since a confirmation waits in the asker's own
// conversation and only the asker's "yes" answers it.
import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import type { ChatEvent } from '../../contract/chat.ts';
import type { Plan } from '../../contract/plans.ts';

const PREFIX = 'wactorz';

export type ButtonAction =
  | { kind: 'plan'; decision: 'approve' | 'reject'; planId: string }
  | { kind: 'confirm'; answer: 'yes' | 'no'; askerId: string };

export function customId(a: ButtonAction): string {
  return a.kind === 'plan' ? `${PREFIX}:plan:${a.decision}:${a.planId}` : `${PREFIX}:confirm:${a.answer}:${a.askerId}`;
}

/** Undefined for a custom_id this bot did not make (or an older format): the click is refused. */
export function parseCustomId(id: string): ButtonAction | undefined {
  const m = /^wactorz:(plan|confirm):(approve|reject|yes|no):([\w-]{1,64})$/.exec(id);
  if (!m) return undefined;
  if (m[1] === 'plan' && (m[2] === 'approve' || m[2] === 'reject')) return { kind: 'plan', decision: m[2], planId: m[3] };
  if (m[1] === 'confirm' && (m[2] === 'yes' || m[2] === 'no') && /^\d+$/.test(m[3])) return { kind: 'confirm', answer: m[2], askerId: m[3] };
  return undefined;
}

/** The text the click stands for. */
export function turnText(a: ButtonAction): string {
  return a.kind === 'plan' ? `/plans ${a.decision} ${a.planId}` : a.answer;
}

/** What the question's message says once answered (its buttons are removed). */
export function decisionLine(a: ButtonAction, who: string): string {
  if (a.kind === 'plan') return a.decision === 'approve' ? `✅ Approved by ${who}` : `❌ Rejected by ${who}`;
  return a.answer === 'yes' ? `✅ ${who} answered yes` : `❌ ${who} answered no`;
}

export type ButtonRow = ActionRowBuilder<ButtonBuilder>;

/**
 * The buttons for a finished turn: a pending proposal seen in the turn gets Approve / Reject; a
 * confirmation the answer waits for gets Yes / No; anything else (a choice between candidates,
 * answered by typing) none.
 */
export function buttonsFor(done: Extract<ChatEvent, { type: 'done' }>, proposal: Plan | undefined, askerId: string): ButtonRow[] {
  if (proposal && proposal.status === 'pending') {
    return [row([
      button({ kind: 'plan', decision: 'approve', planId: proposal.id }, 'Approve', ButtonStyle.Success),
      button({ kind: 'plan', decision: 'reject', planId: proposal.id }, 'Reject', ButtonStyle.Danger),
    ])];
  }
  if (done.awaiting === 'confirmation') {
    return [row([
      button({ kind: 'confirm', answer: 'yes', askerId }, 'Yes', ButtonStyle.Success),
      button({ kind: 'confirm', answer: 'no', askerId }, 'No', ButtonStyle.Secondary),
    ])];
  }
  return [];
}

function button(a: ButtonAction, label: string, style: ButtonStyle): ButtonBuilder {
  return new ButtonBuilder().setCustomId(customId(a)).setLabel(label).setStyle(style);
}

function row(buttons: ButtonBuilder[]): ButtonRow {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(...buttons);
}
