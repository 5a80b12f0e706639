// One orchestrator turn shown in a Telegram chat: "typing…" until the first words, the answer
// streamed into a live message, the final text exactly `done.reply`, Yes / No buttons under an
// answer that waits for a sensitive action's confirmation, and each plan proposal as its own
// card with Approve / Reject buttons after the answer (so the buttons are the last thing in the
// chat, where the thumb is).
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Awaiting } from '../../contract/chat.ts';
import type { Plan } from '../../contract/plans.ts';
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../logger.ts';
import type { TurnContext } from '../../agents/main/turn-context.ts';
import type { TurnRunner } from '../channels/channel.ts';
import { confirmKeyboard, isDecidable, planCard, planKeyboard } from './buttons.ts';
import { LiveMessage, type MessageApi } from './live-message.ts';

export interface TurnApi extends MessageApi {
  sendChatAction(chatId: number, action: 'typing'): Promise<unknown>;
}

export interface TelegramTurnDeps {
  api: TurnApi;
  runner: TurnRunner;
  clock: Clock;
  logger: Logger;
  editIntervalMs: number;
}

export interface TelegramTurnResult {
  awaiting: Awaiting | undefined;
  /** The message carrying the Yes / No buttons, when the answer waits for a confirmation. */
  questionMessageId: number | undefined;
}

/** Telegram shows "typing…" for about five seconds per chat action. */
const TYPING_EVERY_MS = 4500;

export async function runTelegramTurn(deps: TelegramTurnDeps, chatId: number, text: string, ctx: TurnContext): Promise<TelegramTurnResult> {
  const { api, clock, logger } = deps;
  const live = new LiveMessage({ api, chatId, clock, logger, intervalMs: deps.editIntervalMs });
  const typing = () => {
    if (!live.started) api.sendChatAction(chatId, 'typing').catch(() => {});
  };
  typing();
  const ticker = clock.setInterval(typing, TYPING_EVERY_MS);

  const proposals: Plan[] = [];
  let streamed = '';
  let reply: string | undefined;
  let awaiting: Awaiting | undefined;
  try {
    for await (const e of deps.runner.process(text, ctx)) {
      if (e.type === 'delta') {
        streamed += e.text;
        live.append(e.text);
      } else if (e.type === 'proposal') proposals.push(e.plan);
      else if (e.type === 'done') {
        reply = e.reply;
        awaiting = e.awaiting;
      } else if (e.type === 'error') reply = `${streamed}${streamed ? '\n\n' : ''}⚠️ ${e.message}`;
    }
  } catch (err) {
    if (ctx.signal?.aborted) {
      live.cancel();
      throw err;
    }
    logger.error({ err, chat: chatId }, 'telegram: chat turn failed');
    reply = `${streamed}${streamed ? '\n\n' : ''}⚠️ Something went wrong: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    ticker.cancel();
  }

  const final = reply ?? (streamed || '(no answer)');
  const markup: InlineKeyboardMarkup | undefined = awaiting === 'confirmation' ? confirmKeyboard() : undefined;
  const last = (await live.finish(final, markup)).at(-1);

  for (const plan of proposals) {
    await api.sendMessage(chatId, planCard(plan), isDecidable(plan) ? { reply_markup: planKeyboard(plan) } : {});
  }
  return { awaiting, questionMessageId: markup ? last?.id : undefined };
}
