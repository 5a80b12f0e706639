// The webhook sender against a local server standing in for Slack, Discord, Telegram, ntfy and a
// generic (Teams / Power Automate) endpoint: the body each expects, Discord's split at 2000
// characters without pings, errors with the HTTP status and never the URL's secret part, a
// deadline, redirects kept on the same host, and the per-webhook rate limit.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../server/src/core/clock.ts';
import { WebhookSender, type WebhookSenderOptions } from '../../../../server/src/interfaces/webhooks/sender.ts';
import { TokenBucket } from '../../../../server/src/core/token-bucket.ts';
import { startFakeWebhooks, type FakeWebhooks } from '../../../helpers/fake-webhooks.ts';
import { eventually } from '../../../helpers/eventually.ts';

const SLACK = 'https://hooks.slack.com/services/T000/B000/slackSecretToken123';
const DISCORD = 'https://discord.com/api/webhooks/123456789/discordSecretToken456';
const TELEGRAM = 'https://api.telegram.org/bot123:telegramSecretToken789/sendMessage?chat_id=4242';
const NTFY = 'https://ntfy.sh/wactorz-door-topic';

let fake: FakeWebhooks;
let clock: ManualClock;
beforeEach(async () => {
  fake = await startFakeWebhooks();
  clock = new ManualClock();
});
afterEach(async () => {
  await fake.close();
});

function sender(urls: Record<string, string>, opts: Partial<WebhookSenderOptions> = {}): WebhookSender {
  return new WebhookSender({
    source: { names: () => Object.keys(urls).sort(), url: (n) => urls[n] },
    clock,
    fetchImpl: fake.fetchImpl,
    ...opts,
  });
}

/** The error a notification failed with (the test fails if it did not). */
async function failure(p: Promise<void>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    if (err instanceof Error) return err;
    throw err;
  }
  throw new Error('the notification did not fail');
}

const json = (i: number) => JSON.parse(fake.received[i].body) as Record<string, unknown>;

describe('webhook bodies, by the service the URL names', () => {
  it('Slack gets {text} as JSON, the title on the first line', async () => {
    await sender({ slack: SLACK }).notify('webhook:slack', 'Home', 'Front door opened');
    expect(fake.received).toHaveLength(1);
    expect(fake.received[0]).toMatchObject({ method: 'POST', path: '/hooks.slack.com/services/T000/B000/slackSecretToken123' });
    expect(fake.received[0].headers['content-type']).toBe('application/json');
    expect(json(0)).toEqual({ text: 'Home\nFront door opened' });
  });

  it('Discord gets {content} without pings, split at 2000 characters', async () => {
    const s = sender({ discord: DISCORD });
    await s.notify('webhook:discord', undefined, '@everyone the door');
    expect(json(0)).toEqual({ content: '@everyone the door', allowed_mentions: { parse: [] } });

    const long = Array.from({ length: 90 }, (_, i) => `line ${i}: ${'word '.repeat(8).trim()}`).join('\n');
    await s.notify('webhook:discord', 'Report', long);
    const parts = fake.received.slice(1).map((r) => JSON.parse(r.body) as { content: string; allowed_mentions: unknown });
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(p.content.length).toBeLessThanOrEqual(2000);
      expect(p.allowed_mentions).toEqual({ parse: [] });
    }
    expect(parts.map((p) => p.content).join('\n')).toBe(`Report\n${long}`);
  });

  it('a generic URL (Teams / Power Automate, n8n…) gets {text, title, source}', async () => {
    const s = sender({ teams: `${fake.origin}/workflows/abc/triggers/manual/paths/invoke?sig=genericSecretSig` });
    await s.notify('webhook:teams', 'Home', 'Front door opened');
    await s.notify('webhook:teams', undefined, 'No title');
    expect(fake.received[0].headers['content-type']).toBe('application/json');
    expect(json(0)).toEqual({ text: 'Front door opened', title: 'Home', source: 'wactorz' });
    expect(json(1)).toEqual({ text: 'No title', source: 'wactorz' });
  });

  it('Telegram Bot API URLs get {chat_id, text}; ntfy gets plain text with a Title header', async () => {
    await sender({ telegram: TELEGRAM }).notify('webhook:telegram', 'Home', 'Door');
    expect(json(0)).toEqual({ chat_id: '4242', text: 'Home\nDoor' });
    await sender({ ntfy: NTFY }).notify('webhook:ntfy', 'Home', 'Door opened');
    expect(fake.received[1]).toMatchObject({ path: '/ntfy.sh/wactorz-door-topic', body: 'Door opened' });
    expect(fake.received[1].headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(fake.received[1].headers.title).toBe('Home');
    await sender({ ntfy: NTFY }).notify('webhook:ntfy', 'Haustür 🚪', 'offen');
    expect(fake.received[2].body).toBe('Haustür 🚪\noffen');
    expect(fake.received[2].headers.title).toBeUndefined();
  });
});

describe('webhook errors', () => {
  it('an HTTP error names the status and the service answer, never the secret part of the URL', async () => {
    fake.respond('/hooks.slack.com', (r) => ({ status: 404, body: `no_service for ${r.path} (https://hooks.slack.com${r.path.slice('/hooks.slack.com'.length)})` }));
    const s = sender({ slack: SLACK });
    const err = await failure(s.notify('webhook:slack', undefined, 'x'));
    expect(err.message).toMatch(/^webhook:slack \(https:\/\/hooks\.slack\.com\/services\/T000\/…\/n123\): HTTP 404 no_service/);
    expect(err.message).not.toContain('slackSecretToken123');
    // /webhook shows the counts and this error, as masked as the error itself.
    expect(s.statsOf('slack')).toEqual({ sent: 0, failed: 1, dropped: 0, lastError: { at: clock.now(), message: err.message } });
    expect(s.statsOf('discord')).toBeUndefined();
  });

  it('an unreachable webhook is reported without its URL', async () => {
    const closed = await startFakeWebhooks();
    const url = `${closed.origin}/hook/genericSecretPath`;
    await closed.close();
    const err = await failure(sender({ mine: url }).notify('webhook:mine', undefined, 'x'));
    expect(err.message).toMatch(/^webhook:mine \(.*\/…\/Path\): could not be reached \(.+\)$/);
    expect(err.message).not.toContain('genericSecretPath');
  });

  it('a webhook that does not answer fails at the deadline', async () => {
    fake.respond('/hooks.slack.com', () => ({ status: 200, hold: true }));
    const sent = sender({ slack: SLACK }, { timeoutMs: 5000 }).notify('webhook:slack', undefined, 'x');
    const outcome = failure(sent);
    await eventually(() => fake.received.length === 1, 'the request at the fake Slack');
    await clock.advance(5000);
    expect((await outcome).message).toMatch(/^webhook:slack \(.*\): no answer within 5 s$/);
  });

  it('a redirect is followed on the same host only', async () => {
    fake.respond('/hooks.slack.com/services/T000', () => ({ status: 307, headers: { location: 'https://hooks.slack.com/moved/here' } }));
    await sender({ slack: SLACK }).notify('webhook:slack', undefined, 'moved');
    expect(fake.received.map((r) => [r.path, r.body])).toEqual([
      ['/hooks.slack.com/services/T000/B000/slackSecretToken123', '{"text":"moved"}'],
      ['/hooks.slack.com/moved/here', '{"text":"moved"}'],
    ]);

    fake.respond('/discord.com', () => ({ status: 308, headers: { location: 'https://evil.example/collect' } }));
    await expect(sender({ discord: DISCORD }).notify('webhook:discord', undefined, 'x')).rejects.toThrow(/HTTP 308 redirect to https:\/\/evil\.example, not followed/);
    expect(fake.received.some((r) => r.path.startsWith('/evil.example'))).toBe(false);
  });

  it('an unknown name, a bad target or an empty message is refused before any request', async () => {
    const s = sender({ slack: SLACK, discord: DISCORD });
    await expect(s.notify('webhook:teams', undefined, 'x')).rejects.toThrow('No webhook named "teams" is saved; saved: webhook:discord, webhook:slack (save one with /webhook <service> <url>)');
    await expect(sender({}).notify('webhook:slack', undefined, 'x')).rejects.toThrow('No webhook named "slack" is saved; none is saved');
    await expect(s.notify('webhook:', undefined, 'x')).rejects.toThrow('webhook: needs a name');
    await expect(s.notify('slack', undefined, 'x')).rejects.toThrow('"slack" is not a webhook target; use webhook:<name>');
    await expect(s.notify('webhook:slack', undefined, '  ')).rejects.toThrow('webhook:slack: the message is empty');
    expect(fake.received).toEqual([]);
  });
});

describe('the rate limit per webhook', () => {
  it('drops what exceeds the burst, counts it, and lets one more through per refill', async () => {
    const s = sender({ slack: SLACK, discord: DISCORD }, { rateLimit: { burst: 2, refillMs: 10_000 } });
    await s.notify('webhook:slack', undefined, '1');
    await s.notify('webhook:slack', undefined, '2');
    await expect(s.notify('webhook:slack', undefined, '3')).rejects.toThrow(/^webhook:slack: too many notifications, this one was dropped \(1 dropped so far; at most 2 at once, then one every 10 s; next in 10 s\)$/);
    await expect(s.notify('webhook:slack', undefined, '4')).rejects.toThrow(/2 dropped so far/);
    // Another webhook has its own bucket.
    await s.notify('webhook:discord', undefined, 'other');
    await clock.advance(10_000);
    await s.notify('webhook:slack', undefined, '5');
    expect(fake.received.map((r) => r.body)).toEqual(['{"text":"1"}', '{"text":"2"}', '{"content":"other","allowed_mentions":{"parse":[]}}', '{"text":"5"}']);
    expect(s.stats()).toEqual({ slack: { sent: 3, failed: 0, dropped: 2 }, discord: { sent: 1, failed: 0, dropped: 0 } });
  });

  it('a token bucket refuses nonsense settings', () => {
    expect(() => new TokenBucket(clock, { burst: 0, refillMs: 1000 })).toThrow('Invalid rate limit: burst 0 must be at least 1 and refillMs 1000 above 0');
  });
});
