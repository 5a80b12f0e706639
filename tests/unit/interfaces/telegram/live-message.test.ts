// The streaming answer's edits against a scripted Bot API and a manual clock: at most one edit
// per interval however fast the deltas come, the final text exactly the reply, an edit that
// changes nothing or fails mid-stream never breaks the answer.
import { GrammyError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../server/src/core/clock.ts';
import { createLogger } from '../../../../server/src/logger.ts';
import { splitMessage } from '../../../../server/src/interfaces/channels/split.ts';
import { LiveMessage, type MessageApi } from '../../../../server/src/interfaces/telegram/live-message.ts';

class ScriptedApi implements MessageApi {
  readonly calls: [string, number, string | undefined][] = [];
  nextId = 10;
  failEdit: Error | undefined;
  async sendMessage(_chat: number, text: string): Promise<{ message_id: number }> {
    this.calls.push(['send', this.nextId, text]);
    return { message_id: this.nextId++ };
  }
  async editMessageText(_chat: number, id: number, text: string): Promise<unknown> {
    this.calls.push(['edit', id, text]);
    const err = this.failEdit;
    this.failEdit = undefined;
    if (err) throw err;
    return true;
  }
  async editMessageReplyMarkup(_chat: number, id: number): Promise<unknown> {
    this.calls.push(['markup', id, undefined]);
    return true;
  }
}

function live(api: ScriptedApi, clock: ManualClock, limit?: number): LiveMessage {
  return new LiveMessage({ api, chatId: 1, clock, logger: createLogger('silent'), intervalMs: 1000, ...(limit ? { limit } : {}) });
}

describe('LiveMessage', () => {
  it('sends the first words at once, then at most one edit per interval carrying everything so far', async () => {
    const api = new ScriptedApi();
    const clock = new ManualClock();
    const m = live(api, clock);
    m.append('Hello');
    await clock.advance(0);
    expect(api.calls).toEqual([['send', 10, 'Hello']]);
    for (const w of [' there', ',', ' how', ' are']) m.append(w);
    await clock.advance(500);
    expect(api.calls).toHaveLength(1);
    await clock.advance(500);
    expect(api.calls).toEqual([['send', 10, 'Hello'], ['edit', 10, 'Hello there, how are']]);
    m.append(' you?');
    expect(await m.finish('Hello there, how are you?')).toEqual([{ id: 10, text: 'Hello there, how are you?' }]);
    expect(api.calls.at(-1)).toEqual(['edit', 10, 'Hello there, how are you?']);
    expect(clock.pending()).toBe(0);
  });

  it('continues past the limit in a new message; every part is exactly the final split', async () => {
    const api = new ScriptedApi();
    const clock = new ManualClock();
    const m = live(api, clock, 40);
    m.append('one two three four five six seven');
    await clock.advance(0);
    m.append(' eight nine ten eleven twelve');
    await clock.advance(1000);
    const final = 'one two three four five six seven eight nine ten eleven twelve';
    const shown = await m.finish(final);
    expect(shown.map((s) => s.text)).toEqual(splitMessage(final, 40));
    expect(shown).toHaveLength(2);
    expect(shown.every((s) => s.text.length <= 40)).toBe(true);
  });

  it('a failed streaming edit is skipped; "not modified" is no error; the final still lands', async () => {
    const api = new ScriptedApi();
    const clock = new ManualClock();
    const m = live(api, clock);
    m.append('A');
    await clock.advance(0);
    api.failEdit = new GrammyError('x', { ok: false, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } }, 'editMessageText', {});
    m.append('B');
    await clock.advance(1000);
    api.failEdit = new GrammyError('x', { ok: false, error_code: 400, description: 'Bad Request: message is not modified' }, 'editMessageText', {});
    expect((await m.finish('AB ')).map((s) => s.text)).toEqual(['AB ']);
    expect(api.calls.map((c) => c[0])).toEqual(['send', 'edit', 'edit']);
  });

  it('buttons go under the last part, by a markup edit when the text is already right', async () => {
    const api = new ScriptedApi();
    const clock = new ManualClock();
    const m = live(api, clock);
    m.append('Unlock the door?');
    await clock.advance(0);
    await m.finish('Unlock the door?', { inline_keyboard: [[{ text: 'Yes', callback_data: 'confirm:yes' }]] });
    expect(api.calls).toEqual([['send', 10, 'Unlock the door?'], ['markup', 10, undefined]]);
  });
});
