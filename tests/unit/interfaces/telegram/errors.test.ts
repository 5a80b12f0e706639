import { GrammyError, HttpError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { classifyFailure, isNotModified, redactToken } from '../../../../server/src/interfaces/telegram/errors.ts';

const TOKEN = '123456:AAF-secret_part_value';

describe('Telegram failures', () => {
  it('redacts the token, and its secret half alone', () => {
    expect(redactToken(`request to https://api.telegram.org/bot${TOKEN}/getMe failed`, TOKEN)).toBe('request to https://api.telegram.org/bot***/getMe failed');
    expect(redactToken('secret AAF-secret_part_value leaked', TOKEN)).toBe('secret *** leaked');
  });

  it('classifies the Bot API answers the channel acts on', () => {
    const api = (code: number, description: string, parameters = {}) => new GrammyError('Call failed', { ok: false, error_code: code, description, parameters }, 'sendMessage', {});
    expect(classifyFailure(api(401, 'Unauthorized'), TOKEN).kind).toBe('unauthorized');
    const conflict = classifyFailure(api(409, 'Conflict: terminated by other getUpdates request'), TOKEN);
    expect(conflict.kind).toBe('conflict');
    expect(conflict.message).toMatch(/another program/);
    expect(classifyFailure(api(429, 'Too Many Requests', { retry_after: 7 }), TOKEN)).toMatchObject({ kind: 'rate', retryAfterSeconds: 7 });
    expect(classifyFailure(api(403, 'Forbidden: bot was blocked by the user'), TOKEN)).toMatchObject({ kind: 'api', code: 403 });
    expect(isNotModified(api(400, 'Bad Request: message is not modified: specified new message content...'))).toBe(true);
    expect(isNotModified(api(400, 'Bad Request: message text is empty'))).toBe(false);
  });

  it('a network failure names the cause, never the URL with the token', () => {
    const cause = Object.assign(new Error(`request to http://127.0.0.1:9/bot${TOKEN}/getUpdates failed, reason: connect ECONNREFUSED`), { code: 'ECONNREFUSED' });
    const f = classifyFailure(new HttpError("Network request for 'getUpdates' failed!", cause), TOKEN);
    expect(f).toEqual({ kind: 'network', message: "the Bot API cannot be reached (Network request for 'getUpdates' failed: ECONNREFUSED)" });
    expect(classifyFailure(new Error(`boom ${TOKEN}`), TOKEN).message).not.toContain('secret_part');
  });
});
