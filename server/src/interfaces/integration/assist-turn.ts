// An Assist turn from the companion integration as the orchestrator sees it: the HA user who
// spoke is the chat user (the same id the panel uses for them, so memory and conversations are
// theirs), HA's conversation id is the Wactorz conversation, and the satellite's area tells main
// where "the light" is. Who may do what follows the owner's options: a non-administrator, or any
// speaker at a satellite marked as public, gets the restricted `assist_limited` channel.
import { randomBytes } from 'node:crypto';
import type { IntegrationConfig } from '../../config/types.ts';
import type { ConversationRequest } from '../../contract/integration.ts';
import type { ChatUser, TurnContext } from '../../agents/main/turn-context.ts';

const ASSIST_USER: ChatUser = { id: 'assist', name: 'Home Assistant Assist' };

/** True when this turn must be restricted under the owner's Assist policy. */
export function isLimitedTurn(req: Pick<ConversationRequest, 'user' | 'device_id' | 'satellite_id' | 'area_id'>, policy: Pick<IntegrationConfig, 'nonAdmin' | 'limitedDevices'>): boolean {
  if (req.user && !req.user.is_admin && policy.nonAdmin === 'restricted') return true;
  const places = [req.device_id, req.satellite_id, req.area_id].filter((p): p is string => typeof p === 'string');
  return places.some((p) => policy.limitedDevices.includes(p));
}

export function assistTurn(req: ConversationRequest, policy: Pick<IntegrationConfig, 'nonAdmin' | 'limitedDevices'>, signal: AbortSignal): TurnContext {
  const user: ChatUser = req.user ? { id: req.user.id, ...(req.user.name ? { name: req.user.name } : {}) } : ASSIST_USER;
  const deviceId = req.satellite_id ?? req.device_id ?? undefined;
  const place = { ...(req.area_id ? { areaId: req.area_id } : {}), ...(deviceId ? { deviceId } : {}) };
  return {
    user,
    channel: isLimitedTurn(req, policy) ? 'assist_limited' : 'assist',
    conversationId: req.conversation_id ?? `assist-${randomBytes(9).toString('base64url')}`,
    signal,
    ...(Object.keys(place).length > 0 ? { place } : {}),
    ...(req.language ? { language: req.language } : {}),
  };
}
