// The environment the product runs with against the real HA: its data directory, HA's URL and
// token, and the scripted model of the fake LLM server behind the Anthropic client.
import type { Connection } from '../../scripts/real-ha/instance.ts';
import { FAKE_KEYS, type FakeLlmServer } from '../helpers/fake-llm/index.ts';

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
