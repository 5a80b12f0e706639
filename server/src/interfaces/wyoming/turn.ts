// One `transcript` → one orchestrator turn → `handled` with the reply, or `not-handled` with the
// reason. HA's conversation id is the Wactorz conversation, so a question the turn asks (confirm
// the front door lock?) is answered by the next utterance in the same Assist conversation; the
// id is echoed back in the answer's context. The user is fixed per channel: HA sends no user.
import { randomBytes } from 'node:crypto';
import type { ChatEvent } from '../../contract/chat.ts';
import type { ChatUser, TurnContext } from '../../agents/main/turn-context.ts';
import type { TranscriptData } from './events.ts';

export interface TurnRunner {
  process(text: string, ctx: TurnContext): AsyncIterable<ChatEvent>;
}

export type WyomingChannel = 'assist' | 'wyoming';

export interface Answer {
  type: 'handled' | 'not-handled';
  data: { text: string; context: { conversation_id: string } };
}

const USERS: Record<WyomingChannel, ChatUser> = {
  assist: { id: 'assist', name: 'Home Assistant Assist' },
  wyoming: { id: 'wyoming', name: 'Wyoming client' },
};

export async function answerTranscript(runner: TurnRunner | undefined, t: TranscriptData, channel: WyomingChannel, signal: AbortSignal): Promise<Answer> {
  const conversationId = t.context?.conversation_id?.trim() || `wyoming-${randomBytes(9).toString('base64url')}`;
  const answer = (type: Answer['type'], text: string): Answer => ({ type, data: { text, context: { conversation_id: conversationId } } });
  const text = t.text.trim();
  if (text === '') return answer('not-handled', 'Nothing was heard.');
  if (!runner) return answer('not-handled', 'Wactorz is still starting.');
  try {
    const language = t.language?.trim();
    for await (const ev of runner.process(text, { user: USERS[channel], channel, conversationId, signal, ...(language ? { language } : {}) })) {
      if (ev.type === 'error') return answer('not-handled', ev.message);
      if (ev.type === 'done') return answer('handled', ev.reply);
    }
  } catch (err) {
    return answer('not-handled', `Wactorz could not answer: ${err instanceof Error ? err.message : String(err)}`);
  }
  return answer('not-handled', 'The turn ended without an answer.');
}
