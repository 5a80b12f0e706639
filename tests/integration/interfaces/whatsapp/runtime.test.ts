// The WhatsApp channel inside the real runtime (embedded broker, SQLite, the demo home, the real
// access guard with an API key), configured by its WHATSAPP_* options and pointed at a local Graph
// API: the guard lets Meta's webhook through without our key, the route takes only signed calls,
// and a signed message from an allowed number runs a real orchestrator turn whose answer goes to
// that number. Health shows the channel.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../server/src/config/load.ts';
import { WHATSAPP_WEBHOOK_PATH } from '../../../../server/src/interfaces/whatsapp/webhook.ts';
import { startRuntime, type Runtime } from '../../../../server/src/runtime.ts';
import { eventually } from '../../../helpers/eventually.ts';
import { FAKE_KEYS, reply, startFakeLlm } from '../../../helpers/fake-llm/index.ts';
import {
  FAKE_APP_SECRET,
  FAKE_PHONE_NUMBER_ID,
  FAKE_VERIFY_TOKEN,
  FAKE_WA_TOKEN,
  messagePayload,
  postWebhook,
  startFakeWhatsApp,
  textMessage,
  type FakeWhatsApp,
} from '../../../helpers/fake-whatsapp.ts';
import { quietLogger } from '../../../helpers/ha.ts';
import { makeTempDir } from '../../../helpers/tmp.ts';

const OWNER = '31612345678';
const API_KEY = 'runtime-api-key-0123456789';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function boot(): Promise<{ rt: Runtime; wa: FakeWhatsApp }> {
  const dir = makeTempDir();
  cleanups.push(() => dir.cleanup());
  const llm = await startFakeLlm({ respond: () => reply.text('unused') });
  cleanups.push(() => llm.close());
  const wa = await startFakeWhatsApp();
  cleanups.push(() => wa.close());
  const env = {
    WACTORZ_DEMO: 'true',
    WACTORZ_API_KEY: API_KEY,
    LLM_PROVIDER: 'anthropic',
    ANTHROPIC_API_KEY: FAKE_KEYS.anthropic,
    ANTHROPIC_BASE_URL: llm.anthropicBaseUrl,
    WHATSAPP_ACCESS_TOKEN: FAKE_WA_TOKEN,
    WHATSAPP_PHONE_NUMBER_ID: FAKE_PHONE_NUMBER_ID,
    WHATSAPP_APP_SECRET: FAKE_APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: FAKE_VERIFY_TOKEN,
    WHATSAPP_ALLOWED_NUMBERS: `+${OWNER}`,
    WHATSAPP_API_ROOT: wa.apiRoot,
  };
  const config = { ...loadConfig({ env, argv: ['--data-dir', dir.path, '--mqtt-embedded-port', '0'], optionsFile: join(dir.path, 'none.json') }), port: 0 };
  const rt = await startRuntime({ config, logger: quietLogger(), panelDir: '/nonexistent' });
  cleanups.push(() => rt.stop());
  return { rt, wa };
}

describe('WhatsApp on the real runtime', () => {
  it('a signed message from an allowed number is a turn answered on WhatsApp; unsigned calls are refused by the route', async () => {
    const { rt, wa } = await boot();
    const url = `${rt.address}${WHATSAPP_WEBHOOK_PATH}`;

    await eventually(() => rt.channels.health().whatsapp?.state === 'connected', 'the token checked');
    const health = (await (await fetch(`${rt.address}/api/health`)).json()) as { channels?: unknown };
    expect(health.channels).toEqual({ whatsapp: { state: 'connected', account: 'Wactorz Home +1 555-010-0000' } });

    const handshake = await fetch(`${url}?hub.mode=subscribe&hub.verify_token=${FAKE_VERIFY_TOKEN}&hub.challenge=42`);
    expect([handshake.status, await handshake.text()]).toEqual([200, '42']);
    const payload = messagePayload(OWNER, textMessage('/plans'));
    const unsigned = await postWebhook(url, payload, { signature: null });
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as { error: { code: string } }).error.code).toBe('invalid_signature');
    expect((await fetch(`${rt.address}/api/plans`)).status).toBe(401);

    expect((await postWebhook(url, payload)).status).toBe(200);
    await eventually(() => wa.sent.length === 1, 'the answer on WhatsApp');
    expect(wa.sent[0]).toEqual({ to: OWNER, type: 'text', text: expect.stringMatching(/^No plans\./) as string });
    expect(rt.orchestrator.history.get(`whatsapp:${OWNER}`, `whatsapp-${OWNER}`)?.messages.map((m) => m.text)[0]).toBe('/plans');
  }, 60_000);

  it('a rule whose action is notify.chat_channel to whatsapp:<number> messages that number when it fires', async () => {
    const { rt, wa } = await boot();
    const rule = {
      type: 'ha_actuator',
      name: 'front-door-whatsapp',
      mqtt_topics: ['ha/state_changes/binary_sensor/binary_sensor.front_door'],
      detection_filter: { 'new_state.state': 'on' },
      cooldown_seconds: 0,
      actions: [{ domain: 'notify', service: 'chat_channel', service_data: { target: `whatsapp:+${OWNER}`, title: 'Home', message: 'The front door opened' } }],
    };
    expect(await rt.spawner.spawn(rule as never, { by: 'planner', ruleId: 'rule-wa' })).toMatchObject({ status: 'spawned' });
    // The state bridge subscribes asynchronously: flip the door until the rule has heard it.
    await eventually(() => {
      if (wa.sent.length === 0) rt.haDemo?.setState('binary_sensor.front_door', rt.haDemo.getState('binary_sensor.front_door')?.state === 'on' ? 'off' : 'on');
      return wa.sent.length > 0;
    }, 'the notification on WhatsApp');
    expect(wa.sent[0]).toEqual({ to: OWNER, type: 'text', text: 'Home\nThe front door opened' });
  }, 60_000);
});
