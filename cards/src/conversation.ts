// One turn with an Assist conversation agent over the dashboard's own connection, the way HA's
// Assist dialog talks to an agent: `conversation/process` carries the signed-in HA user (the
// add-on's trust rules decide by who spoke) and the dashboard's language, and keeps the
// conversation by its id. `wactorz.ask` would answer too, but an action carries no user.
import type { HomeAssistant } from './hass.ts';

/** The Wactorz agent's entity id as the integration names it. */
export const DEFAULT_AGENT = 'conversation.wactorz';

/** HA's ConversationResult.as_dict(), the parts read here. */
export interface ProcessResult {
  conversation_id: string | null;
  continue_conversation?: boolean;
  response: {
    response_type: 'action_done' | 'query_answer' | 'error';
    speech?: { plain?: { speech?: string } };
    data?: { code?: string };
  };
}

export interface Turn {
  speech: string;
  /** An answer the agent marked as an error (Wactorz unreachable, a refused request). */
  error: boolean;
  conversationId: string | null;
  /** The agent asked something back: a rule proposal waiting for "yes", a confirmation. */
  expectsReply: boolean;
}

/** The card's configured agent, else the first conversation entity of the wactorz platform. */
export function agentOf(hass: HomeAssistant, configured: string | undefined): string {
  if (configured) return configured;
  const ours = Object.values(hass.entities).find((e) => e?.platform === 'wactorz' && e.entity_id.startsWith('conversation.'));
  return ours?.entity_id ?? DEFAULT_AGENT;
}

export async function processTurn(hass: HomeAssistant, agentId: string, text: string, conversationId: string | null): Promise<Turn> {
  const result = await hass.callWS<ProcessResult>({
    type: 'conversation/process',
    text,
    agent_id: agentId,
    language: hass.language,
    ...(conversationId ? { conversation_id: conversationId } : {}),
  });
  return {
    speech: result.response.speech?.plain?.speech ?? '',
    error: result.response.response_type === 'error',
    conversationId: result.conversation_id,
    expectsReply: result.continue_conversation === true,
  };
}
