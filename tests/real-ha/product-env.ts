// The environment the product runs with against the real HA: its data directory, HA's URL and
// token, and the scripted model of the fake LLM server behind the Anthropic client; and the
// product started with it the way the integration suites need it.
import type { Connection } from '../../scripts/real-ha/instance.ts';
import { freePort } from '../helpers/brokers.ts';
import { FAKE_KEYS, type FakeLlmServer } from '../helpers/fake-llm/index.ts';
import { startServerProcess, waitForOutput, type ServerProcess } from '../helpers/server-process.ts';

export function productEnv(c: Connection, dataDir: string, fake: FakeLlmServer): Record<string, string> {
  return {
    WACTORZ_DATA_DIR: dataDir,
    HA_URL: c.url,
    HA_TOKEN: c.token,
    LLM_PROVIDER: 'anthropic',
    // The scripted model answers the classifier path (tools routing is tested in tests/integration/orchestrator/one-call.test.ts).
    LLM_ROUTING: 'classifier',
    ANTHROPIC_API_KEY: FAKE_KEYS.anthropic,
    ANTHROPIC_BASE_URL: fake.anthropicBaseUrl,
  };
}

/**
 * The product as its own process against the real HA, up and answering: on loopback, with an API
 * key (the companion integration's manual setup uses it), no Wyoming port, and an embedded broker
 * on a free port (suites run one after another; a fixed port could still be in TIME_WAIT).
 */
export async function startProduct(c: Connection, dataDir: string, fake: FakeLlmServer, apiKey: string, extra: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await startServerProcess({
    ...productEnv(c, dataDir, fake),
    WACTORZ_HOST: '127.0.0.1',
    WACTORZ_API_KEY: apiKey,
    WACTORZ_WYOMING_PORT: '0',
    MQTT_EMBEDDED_PORT: String(await freePort()),
    ...extra,
  });
  await waitForOutput(server, 'wactorz is up', 60_000);
  return server;
}
