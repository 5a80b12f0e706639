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

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function runtimeWith(tg: FakeTelegram): Promise<Runtime> {
  const dir = makeTempDir();
  cleanups.push(() => dir.cleanup());
  const env = { WACTORZ_DEMO: 'true', TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_ALLOWED_USERS: String(ALEX.id), TELEGRAM_API_ROOT: tg.apiRoot };
  const config = { ...loadConfig({ env, argv: ['--data-dir', dir.path, '--mqtt-embedded-port', '0'], optionsFile: join(dir.path, 'none.json') }), port: 0 };
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
});
