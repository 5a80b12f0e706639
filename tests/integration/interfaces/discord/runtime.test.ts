// The Discord channel in the real runtime (embedded broker, SQLite, the demo home, no LLM): the
// DISCORD_* options point it at the fake Discord; it connects, GET /api/health shows it, and a
// DM from an allowed user is answered by the real orchestrator (its no-LLM answer) and saved
// in that user's conversation.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NO_LLM_ANSWER } from '../../../../server/src/agents/main/routing/no-llm.ts';
import { loadConfig } from '../../../../server/src/config/load.ts';
import { startRuntime } from '../../../../server/src/runtime.ts';
import { startFakeDiscord } from '../../../helpers/fake-discord/index.ts';
import { quietLogger } from '../../../helpers/ha.ts';
import { makeTempDir } from '../../../helpers/tmp.ts';
import { eventually } from './harness.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('Discord in the running server', () => {
  it('connects from the DISCORD_* options, shows in /api/health, and answers a DM through the orchestrator', async () => {
    const fake = await startFakeDiscord();
    cleanups.push(() => fake.close());
    const alice = fake.person('alice');
    const dir = makeTempDir();
    cleanups.push(() => dir.cleanup());
    const env = {
      WACTORZ_DEMO: 'true',
      LLM_PROVIDER: 'none',
      DISCORD_BOT_TOKEN: fake.token,
      DISCORD_ALLOWED_USERS: alice.id,
      DISCORD_ALLOWED_CHANNELS: fake.wactorzChannel.id,
      DISCORD_API_ROOT: fake.apiRoot,
    };
    const config = { ...loadConfig({ env, argv: ['--data-dir', dir.path, '--mqtt-embedded-port', '0'], optionsFile: join(dir.path, 'none.json') }), port: 0 };
    const rt = await startRuntime({ config, logger: quietLogger(), panelDir: '/nonexistent' });
    cleanups.push(() => rt.stop());

    await eventually(() => rt.channels.health().discord?.state === 'connected', () => `discord connected (${JSON.stringify(rt.channels.health())})`);
    const health = (await (await fetch(`${rt.address}/api/health`)).json()) as { channels?: unknown };
    expect(health.channels).toMatchObject({ discord: { state: 'connected', account: 'wactorz' } });
    expect(JSON.stringify(health)).not.toContain(fake.token);

    const dm = fake.dmChannel(alice);
    fake.dm(alice, 'what can you do?');
    await eventually(() => fake.botMessages(dm.id).at(-1)?.content === NO_LLM_ANSWER, () => `the no-LLM answer (have ${JSON.stringify(fake.botMessages(dm.id).map((m) => m.content))})`);
    expect(rt.orchestrator.history.get(`discord:${alice.id}`, `discord-dm-${dm.id}`)?.messages.map((m) => m.text)).toEqual(['what can you do?', NO_LLM_ANSWER]);
  }, 60_000);
});
