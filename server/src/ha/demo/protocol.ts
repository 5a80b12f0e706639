// The frames of Home Assistant's WebSocket API, as the demo home sends them. Followed: the
// developer documentation (developers.home-assistant.io/docs/api/websocket) and the behaviour of
// HA core's websocket_api (commands.py, messages.py, http.py) as of 2026.10, the version the demo
// home announces and the one the real-HA tests run (scripts/real-ha/pin.ts; a unit test keeps the
// two equal). One factory per outgoing frame, so every handler speaks the same dialect.
import type { Context, HassEvent } from 'home-assistant-js-websocket';

/** The HA version whose protocol the demo home follows (announced in auth_required/auth_ok). */
export const DEMO_HA_VERSION = '2026.10.4';

/** Error codes from homeassistant/components/websocket_api/const.py. */
export const ERR = {
  ID_REUSE: 'id_reuse',
  INVALID_FORMAT: 'invalid_format',
  NOT_FOUND: 'not_found',
  NOT_SUPPORTED: 'not_supported',
  HOME_ASSISTANT_ERROR: 'home_assistant_error',
  SERVICE_VALIDATION_ERROR: 'service_validation_error',
  UNKNOWN_COMMAND: 'unknown_command',
  UNKNOWN_ERROR: 'unknown_error',
  UNAUTHORIZED: 'unauthorized',
} as const;
export type ErrCode = (typeof ERR)[keyof typeof ERR];

export interface ErrorBody {
  code: string;
  message: string;
  translation_key?: string;
  translation_domain?: string;
  translation_placeholders?: Record<string, string>;
}

export type OutgoingFrame =
  | { type: 'auth_required'; ha_version: string }
  | { type: 'auth_ok'; ha_version: string }
  | { type: 'auth_invalid'; message: string }
  | { id: number; type: 'result'; success: true; result: unknown }
  | { id: number | null; type: 'result'; success: false; error: ErrorBody }
  | { id: number; type: 'event'; event: unknown }
  | { id: number; type: 'pong' };

export const authRequired = (version: string): OutgoingFrame => ({ type: 'auth_required', ha_version: version });
export const authOk = (version: string): OutgoingFrame => ({ type: 'auth_ok', ha_version: version });
export const authInvalid = (message: string): OutgoingFrame => ({ type: 'auth_invalid', message });
export const resultMessage = (id: number, result: unknown = null): OutgoingFrame => ({ id, type: 'result', success: true, result });
export const errorMessage = (id: number | null, code: string, message: string, extra: Omit<ErrorBody, 'code' | 'message'> = {}): OutgoingFrame => ({
  id,
  type: 'result',
  success: false,
  error: { code, message, ...extra },
});
export const eventMessage = (id: number, event: unknown): OutgoingFrame => ({ id, type: 'event', event });
export const pongMessage = (id: number): OutgoingFrame => ({ id, type: 'pong' });

/** An error a command handler throws; the session turns it into an error result. */
export class CommandError extends Error {
  readonly code: string;
  readonly extra: Omit<ErrorBody, 'code' | 'message'>;

  constructor(code: string, message: string, extra: Omit<ErrorBody, 'code' | 'message'> = {}) {
    super(message);
    this.name = 'CommandError';
    this.code = code;
    this.extra = extra;
  }
}

/** HA context ids are 26-character ULIDs; any unique lowercase id of that length reads the same. */
export function newContextId(now: number): string {
  const time = now.toString(32).padStart(10, '0');
  let rand = '';
  for (let i = 0; i < 16; i++) rand += Math.floor(Math.random() * 32).toString(32);
  return (time + rand).toUpperCase();
}

export function newContext(now: number, userId: string | null = null, parentId: string | null = null): Context {
  return { id: newContextId(now), parent_id: parentId, user_id: userId };
}

export function isoTime(ms: number): string {
  // HA prints microseconds and an explicit UTC offset: 2016-11-26T01:37:24.265429+00:00
  return new Date(ms).toISOString().replace('Z', '000+00:00');
}

/** isoTime with microseconds (HA's state timestamps carry them). */
export function isoMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  const micro = String(us % 1000).padStart(3, '0');
  return new Date(ms).toISOString().replace('Z', `${micro}+00:00`);
}

export type DemoEvent = HassEvent;
