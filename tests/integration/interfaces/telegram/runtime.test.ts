// The Telegram channel in the real server: TELEGRAM_* options pointing the runtime at the local
// Bot API server, no LLM configured (the demo home). /help is answered by the orchestrator's own
// command, a plain message gets the no-LLM answer, and GET /api/health shows the channel.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NO_LLM_ANSWER } from '../../../../server/src/agents/main/routing/no-llm.ts';
import { loadConfig } from '../../../../server/src/config/load.ts';
import type { HealthReport } from '../../../../server/src/contract/health.ts';
import { startRuntime, type Runtime } from '../../../../server/src/runtime.ts';
import { eventually } from '../../../helpers/eventually.ts';
import { startFakeTelegram, type FakeTelegram } from '../../../helpers/fake-telegram.ts';
import { quietLogger } from '../../../helpers/ha.ts';
import { makeTempDir } from '../../../helpers/tmp.ts';
import { ALEX, STRANGER } from './world.ts';
import { freePort } from '../../../helpers/brokers.ts';
import { TELEGRAM_WEBHOOK_PATH } from '../../../../server/src/interfaces/telegram/webhook.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function runtimeWith(tg: FakeTelegram, webhook?: { port: number; apiKey: string }): Promise<Runtime> {
  const dir = makeTempDir();
  cleanups.push(() => dir.cleanup());
  const env = { WACTORZ_DEMO: 'true', TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_ALLOWED_USERS: String(ALEX.id), TELEGRAM_API_ROOT: tg.apiRoot, ...(webhook ? { WACTORZ_API_KEY: webhook.apiKey } : {}) };
  const loaded = loadConfig({ env, argv: ['--data-dir', dir.path, '--mqtt-embedded-port', '0'], optionsFile: join(dir.path, 'none.json') });
  // The option takes https:// only; the local Bot API server delivers over plain HTTP on loopback.
  const telegram = webhook && loaded.channels.telegram ? { ...loaded.channels.telegram, webhookUrl: `http://127.0.0.1:${webhook.port}${TELEGRAM_WEBHOOK_PATH}` } : loaded.channels.telegram;
  const config = { ...loaded, port: webhook?.port ?? 0, channels: { ...loaded.channels, telegram } };
  const rt = await startRuntime({ config, logger: quietLogger(), panelDir: '/nonexistent' });
  cleanups.push(() => rt.stop());
  return rt;
}

describe('Telegram in the real runtime', () => {
  it('connects, answers /help and a plain message through the orchestrator, and shows in /api/health', async () => {
    const tg = await startFakeTelegram();
    cleanups.push(() => tg.close());
    const rt = await runtimeWith(tg);
    await eventually(() => rt.channels.health().telegram?.state === 'connected', () => `connected, health is ${JSON.stringify(rt.channels.health())}`);

    const health = (await (await fetch(`${rt.address}/api/health`)).json()) as HealthReport;
    expect(health.channels.telegram).toEqual({ state: 'connected', account: '@wactorz_test_bot' });
    expect(tg.commands.map((c) => c.command)).toContain('plans');

    tg.sendText(ALEX, '/help');
    await eventually(() => tg.chat(ALEX.id).length === 1, 'the /help answer');
    expect(tg.chat(ALEX.id)[0].text).toMatch(/^Commands \(answered without the LLM\):/);
    expect(tg.chat(ALEX.id)[0].text).toContain('/plans');

    tg.sendText(ALEX, 'what can you do?');
    await eventually(() => tg.chat(ALEX.id).length === 2, 'the answer without an LLM');
    expect(tg.chat(ALEX.id)[1].text).toBe(NO_LLM_ANSWER.trim());
    expect(rt.orchestrator.history.get('telegram:1001', 'telegram-1001')?.messages.map((m) => m.text)).toEqual(expect.arrayContaining(['/help', 'what can you do?']));

    tg.sendText(STRANGER, '/agents');
    await eventually(() => tg.chat(STRANGER.id).length === 1, 'the refusal');
    expect(rt.orchestrator.history.get('telegram:6666', 'telegram-6666')).toBeUndefined();
  }, 60_000);

  it('in webhook mode: Telegram posts updates with its secret, the guard lets only that path through, forged and repeated posts run nothing', async () => {
    const tg = await startFakeTelegram();
    cleanups.push(() => tg.close());
    const port = await freePort();
    const rt = await runtimeWith(tg, { port, apiKey: 'telegram-webhook-suite-key-0123' });
    await eventually(() => rt.channels.health().telegram?.state === 'connected', () => `connected, health is ${JSON.stringify(rt.channels.health())}`);
    expect(tg.webhook?.url).toBe(`http://127.0.0.1:${port}${TELEGRAM_WEBHOOK_PATH}`);
    expect(tg.webhook?.secret?.length).toBeGreaterThanOrEqual(32);
    expect(tg.callsOf('getUpdates')).toEqual([]);

    tg.sendText(ALEX, '/help');
    await eventually(() => tg.chat(ALEX.id).length === 1, 'the /help answer');
    expect(tg.chat(ALEX.id)[0].text).toMatch(/^Commands \(answered without the LLM\):/);
    expect(tg.webhookAnswers).toEqual([200]);

    // Someone who found the URL: without the secret, or with a wrong one, nothing is read.
    const forged = { update_id: 999_001, message: { message_id: 1, date: 0, chat: { id: ALEX.id, type: 'private' }, from: ALEX, text: '/agents' } };
    const post = (headers: Record<string, string>, body: unknown = forged) => fetch(`${rt.address}${TELEGRAM_WEBHOOK_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    expect((await post({})).status).toBe(401);
    expect((await post({ 'x-telegram-bot-api-secret-token': 'not-the-secret' })).status).toBe(401);
    expect((await post({ 'x-telegram-bot-api-secret-token': tg.webhook!.secret! }, { hello: 1 })).status).toBe(400);
    // Telegram repeating an update (a lost answer) runs it once.
    const secret = { 'x-telegram-bot-api-secret-token': tg.webhook!.secret! };
    expect((await post(secret)).status).toBe(200);
    expect((await post(secret)).status).toBe(200);
    await eventually(() => tg.chat(ALEX.id).length === 2, 'the /agents answer');
    await rt.orchestrator.idle();
    expect(rt.orchestrator.history.get('telegram:1001', 'telegram-1001')?.messages.filter((m) => m.text === '/agents')).toHaveLength(1);
  }, 60_000);
});
