// Failures talking to Home Assistant, as data: one error class with a code an agent can act on
// ("not_connected" -> do not act and say why; "unknown_entity" -> tell the user which entity).
import { ERR_CANNOT_CONNECT, ERR_CONNECTION_LOST, ERR_HASS_HOST_REQUIRED, ERR_INVALID_AUTH, ERR_INVALID_HTTPS_TO_HTTP } from 'home-assistant-js-websocket';

export type HaErrorCode =
  | 'auth_invalid'
  | 'cannot_connect'
  | 'connection_lost'
  | 'not_connected'
  | 'unknown_entity'
  | 'unknown_service'
  | 'not_found'
  | 'invalid_format'
  | 'service_validation_error'
  | 'home_assistant_error'
  | 'unauthorized'
  | 'http_error'
  | 'aborted'
  | 'unknown_error';

export class HaError extends Error {
  readonly code: HaErrorCode;
  /** HTTP status, for REST failures. */
  readonly status: number | undefined;

  constructor(code: HaErrorCode, message: string, status?: number) {
    super(message);
    this.name = 'HaError';
    this.code = code;
    this.status = status;
  }
}

const WIRE_CODES: Record<string, HaErrorCode> = {
  not_found: 'not_found',
  invalid_format: 'invalid_format',
  service_validation_error: 'service_validation_error',
  home_assistant_error: 'home_assistant_error',
  unauthorized: 'unauthorized',
  unknown_command: 'home_assistant_error',
  unknown_error: 'unknown_error',
};

/**
 * home-assistant-js-websocket rejects with a number (its ERR_* constants) for connection problems
 * and with HA's {code, message} for failed commands; both become an HaError.
 */
export function toHaError(err: unknown, what = 'Home Assistant request'): HaError {
  if (err instanceof HaError) return err;
  switch (err) {
    case ERR_INVALID_AUTH:
      return new HaError('auth_invalid', 'Home Assistant refused the access token (auth_invalid). Create a new long-lived access token, or check SUPERVISOR_TOKEN.');
    case ERR_CANNOT_CONNECT:
      return new HaError('cannot_connect', 'Cannot connect to Home Assistant.');
    case ERR_CONNECTION_LOST:
      return new HaError('connection_lost', `${what} failed: the connection to Home Assistant was lost.`);
    case ERR_HASS_HOST_REQUIRED:
    case ERR_INVALID_HTTPS_TO_HTTP:
      return new HaError('cannot_connect', 'Home Assistant URL is missing or invalid.');
    default:
      break;
  }
  if (typeof err === 'object' && err !== null && 'code' in err && 'message' in err) {
    const { code, message } = err;
    if (code === ERR_CONNECTION_LOST) return new HaError('connection_lost', `${what} failed: the connection to Home Assistant was lost.`);
    const mapped = typeof code === 'string' ? (WIRE_CODES[code] ?? 'home_assistant_error') : 'home_assistant_error';
    return new HaError(mapped, `${what} failed: ${typeof message === 'string' ? message : 'no message'}${typeof code === 'string' ? ` (${code})` : ''}`);
  }
  if (err instanceof Error) return new HaError(err.name === 'AbortError' ? 'aborted' : 'unknown_error', `${what} failed: ${err.message}`);
  return new HaError('unknown_error', `${what} failed.`);
}
