// What went wrong talking to the Bot API, in words fit for a log line and for GET /api/health.
// The Bot API puts the token in every URL (`/bot<token>/getUpdates`), and the HTTP client's
// errors (node-fetch's "request to <url> failed", kept on grammY's HttpError.error) repeat that
// URL: a raw error object must never reach the logger. Everything here passes through
// `redactToken`, and callers log only the `message` this module returns.
import { GrammyError, HttpError } from 'grammy';

export type TelegramFailure =
  /** The token is wrong or revoked: retrying would be refused again. */
  | { kind: 'unauthorized'; message: string }
  /** Another program polls with the same token (409), or a webhook is set: retry, and say so. */
  | { kind: 'conflict'; message: string }
  /** Flood control (429): wait `retryAfterSeconds`, as the Bot API asks. */
  | { kind: 'rate'; message: string; retryAfterSeconds: number }
  /** The Bot API answered with another error (400 "message is not modified", 403 blocked...). */
  | { kind: 'api'; message: string; code: number; description: string }
  /** No answer at all: DNS, refused or dropped connection, timeout. Retry with backoff. */
  | { kind: 'network'; message: string };

/** Replaces the token (and its secret half alone, should it appear split) with `***`. */
export function redactToken(text: string, token: string): string {
  if (token === '') return text;
  let out = text.split(token).join('***');
  const secret = token.slice(token.indexOf(':') + 1);
  if (secret.length >= 8) out = out.split(secret).join('***');
  return out;
}

export function classifyFailure(err: unknown, token: string): TelegramFailure {
  if (err instanceof GrammyError) {
    const description = redactToken(err.description, token);
    if (err.error_code === 401) return { kind: 'unauthorized', message: 'the bot token was refused (401 Unauthorized); check telegram_bot_token, from @BotFather' };
    if (err.error_code === 409) return { kind: 'conflict', message: `Telegram refused to deliver updates (409: ${description}); is another program running this bot?` };
    if (err.error_code === 429) {
      const retryAfterSeconds = err.parameters.retry_after ?? 5;
      return { kind: 'rate', message: `Telegram asked to slow down for ${retryAfterSeconds} s (429)`, retryAfterSeconds };
    }
    return { kind: 'api', message: `${err.method}: ${err.error_code} ${description}`, code: err.error_code, description };
  }
  if (err instanceof HttpError) {
    // HttpError.message names only the method; the cause's code (ECONNREFUSED, ETIMEDOUT) says why.
    const cause = err.error as { code?: unknown; type?: unknown; name?: unknown } | undefined;
    const why = typeof cause?.code === 'string' ? cause.code : typeof cause?.type === 'string' ? cause.type : typeof cause?.name === 'string' ? cause.name : undefined;
    return { kind: 'network', message: redactToken(`the Bot API cannot be reached (${err.message.replace(/!$/, '')}${why ? `: ${why}` : ''})`, token) };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'network', message: redactToken(`the Bot API cannot be reached (${message})`, token) };
}

/** Editing a message to the text it already shows is refused with 400; it changes nothing. */
export function isNotModified(err: unknown): boolean {
  return err instanceof GrammyError && err.error_code === 400 && /message is not modified/i.test(err.description);
}
