// The long-polling loop against a scripted Bot API and a manual clock: backoff that doubles to a
// ceiling and resets once Telegram answers, a refused token that ends polling for good, and the
// last handled updates confirmed on stop so a restart does not run them twice.
import { GrammyError, HttpError } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../server/src/core/clock.ts';
import { createLogger } from '../../../../server/src/logger.ts';
import type { ChannelHealth } from '../../../../server/src/interfaces/channels/health.ts';
import { UpdatePoller, type PollerOptions } from '../../../../server/src/interfaces/telegram/poller.ts';

const ME = { id: 1, is_bot: true, first_name: 'W', username: 'w_bot' } as UserFromGetMe;

type Poll = { offset?: number; limit?: number; timeout?: number; at: number; answer: (u: Update[]) => void; fail: (e: unknown) => void };

function world() {
  const clock = new ManualClock();
  const polls: Poll[] = [];
  const health: ChannelHealth[] = [];
  const handled: number[] = [];
  let getMe: () => Promise<UserFromGetMe> = async () => ME;
  const api = {
    getMe: () => getMe(),
    deleteWebhook: async () => true as const,
    getUpdates: (p: { offset?: number; limit?: number; timeout?: number }, signal?: AbortSignal) =>
      new Promise<Update[]>((answer, fail) => {
        polls.push({ ...p, at: clock.now(), answer, fail });
        signal?.addEventListener('abort', () => fail(new HttpError('aborted', new Error('aborted'))));
      }),
  };
  let onUpdate: (u: Update) => Promise<void> = async (u) => void handled.push(u.update_id);
  const poller = new UpdatePoller({
    api: api as unknown as PollerOptions['api'],
    token: '1:secret-secret',
    clock,
    logger: createLogger('silent'),
    timeoutSeconds: 30,
    backoff: { initialMs: 100, maxMs: 300 },
    onConnected: async () => {},
    onUpdate: (u) => onUpdate(u),
    onHealth: (h) => void health.push(h),
  });
  return {
    clock, polls, health, handled, poller,
    setGetMe: (f: typeof getMe) => (getMe = f),
    setOnUpdate: (f: typeof onUpdate) => (onUpdate = f),
  };
}

const flush = () => new Promise((r) => setImmediate(r));
const down = () => new HttpError("Network request for 'getUpdates' failed!", Object.assign(new Error('x'), { code: 'ECONNRESET' }));

describe('UpdatePoller', () => {
  it('backs off 100, 200, 300 (the ceiling) ms while Telegram is unreachable, and resets once it answers', async () => {
    const w = world();
    await w.poller.start();
    expect(w.health).toEqual([{ state: 'connected', account: '@w_bot' }]);
    const start = w.clock.now();
    for (const wait of [100, 200, 300, 300]) {
      await flush();
      w.polls.at(-1)!.fail(down());
      await flush();
      await w.clock.advance(wait);
    }
    await flush();
    expect(w.polls.map((p) => p.at - start)).toEqual([0, 100, 300, 600, 900]);
    expect(w.health.at(-1)).toMatchObject({ state: 'reconnecting', error: "the Bot API cannot be reached (Network request for 'getUpdates' failed: ECONNRESET)" });
    // The probe after a failure does not hold the line open; the next poll does again.
    expect(w.polls.at(-1)!.timeout).toBe(0);
    w.polls.at(-1)!.answer([]);
    await flush();
    expect(w.health.at(-1)).toEqual({ state: 'connected', account: '@w_bot' });
    expect(w.polls.at(-1)!.timeout).toBe(30);
    w.polls.at(-1)!.fail(down());
    await flush();
    await w.clock.advance(100);
    await flush();
    expect(w.polls).toHaveLength(7);
    await w.poller.stop();
    expect(w.clock.pending()).toBe(0);
  });

  it('a refused token ends polling: failed, and no retry', async () => {
    const w = world();
    w.setGetMe(async () => {
      throw new GrammyError("Call to 'getMe' failed!", { ok: false, error_code: 401, description: 'Unauthorized' }, 'getMe', {});
    });
    await w.poller.start();
    expect(w.health).toEqual([{ state: 'failed', error: 'the bot token was refused (401 Unauthorized); check telegram_bot_token, from @BotFather' }]);
    await w.clock.advance(60_000);
    expect(w.polls).toEqual([]);
    await w.poller.stop();
  });

  it('stop() confirms updates handled after the last poll went out', async () => {
    const w = world();
    let release!: () => void;
    w.setOnUpdate(async (u) => {
      w.handled.push(u.update_id);
      await new Promise<void>((r) => (release = r));
    });
    await w.poller.start();
    await flush();
    w.polls[0].answer([{ update_id: 41 }, { update_id: 42 }]);
    await flush();
    expect(w.handled).toEqual([41]);
    const stopped = w.poller.stop();
    release();
    await flush();
    w.polls.at(-1)!.answer([]);
    await stopped;
    expect(w.handled).toEqual([41]);
    expect(w.polls.map((p) => [p.offset, p.limit, p.timeout])).toEqual([[0, undefined, 30], [42, 1, 0]]);
  });
});
