// One real runtime per MCP test file (embedded broker, SQLite, the demo home, a fake LLM through
// the configuration, an API key), started before the file's tests and stopped after them with
// the MCP clients the tests connected.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../../server/src/config/load.ts';
import { startRuntime, type Runtime } from '../../../server/src/runtime.ts';
import { FAKE_KEYS, startFakeLlm, type FakeLlmServer, type ReplyFn } from '../../helpers/fake-llm/index.ts';
import { quietLogger } from '../../helpers/ha.ts';
import { makeTempDir } from '../../helpers/tmp.ts';

export interface McpRuntime {
  /** The running runtime (read inside tests: it starts in beforeAll). */
  readonly runtime: Runtime;
  readonly dataDir: string;
  /** Clients to close before the runtime stops. */
  readonly clients: Client[];
}

/** `env`: more configuration (keys, options) on top of the fake Anthropic provider's. */
export function useMcpRuntime(apiKey: string, respond: ReplyFn, env: Record<string, string> = {}): McpRuntime {
  const dir = makeTempDir();
  const clients: Client[] = [];
  let runtime: Runtime | undefined;
  let fake: FakeLlmServer | undefined;

  beforeAll(async () => {
    fake = await startFakeLlm({ respond });
    const base = { LLM_PROVIDER: 'anthropic', ANTHROPIC_API_KEY: FAKE_KEYS.anthropic, ANTHROPIC_BASE_URL: fake.anthropicBaseUrl };
    const config = { ...loadConfig({ env: { ...base, ...env }, argv: ['--data-dir', dir.path, '--mqtt-embedded-port', '0'], optionsFile: join(dir.path, 'none.json') }), port: 0 };
    runtime = await startRuntime({ config, logger: quietLogger(), panelDir: '/nonexistent', access: { apiKey } });
  }, 60_000);

  afterAll(async () => {
    for (const c of clients.splice(0)) await c.close();
    await runtime?.stop();
    await fake?.close();
    dir.cleanup();
  });

  return {
    get runtime() {
      if (!runtime) throw new Error('the MCP test runtime has not started (read it inside a test)');
      return runtime;
    },
    dataDir: dir.path,
    clients,
  };
}
