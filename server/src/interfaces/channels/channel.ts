// What every chat channel (Telegram, Discord, WhatsApp) offers the rest of the server: start and
// stop, its health, and sending a message to one of its people for notifications. Conversations
// come in through the channel's own module; they all go through the one orchestrator entry point
// (`process(text, context)`), like the panel, the API and Assist.
import type { ChatEvent } from '../../contract/chat.ts';
import type { TurnContext } from '../../agents/main/turn-context.ts';
import type { ChannelHealth, ChannelName } from './health.ts';

/** The orchestrator's entry point as a channel sees it. */
export interface TurnRunner {
  process(text: string, ctx: TurnContext): AsyncIterable<ChatEvent>;
}

export interface ChatChannel {
  readonly name: ChannelName;
  /** Connects in the background: a refused token or an unreachable platform costs only this channel. */
  start(): Promise<void>;
  stop(): Promise<void>;
  health(): ChannelHealth;
  /**
   * Sends `text` to `to` (a chat id, a user id, a phone number: whatever the channel's allow list
   * holds). Rejects with a message written for the agent or rule that asked; refuses anyone not
   * on the allow list, so a notification can never reach a stranger.
   */
  send(to: string, text: string, signal?: AbortSignal): Promise<void>;
}
