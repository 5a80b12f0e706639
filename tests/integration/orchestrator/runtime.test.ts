// The orchestrator inside the real runtime: embedded MQTT broker, SQLite in a temp dir, the demo
// home, and an LLM provider pointed at the fake server through the configuration, as a user
// would set it. Chat goes through runtime.chat, the ChatService the HTTP API plugs in.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../server/src/config/load.ts';
import type { Identity } from '../../../server/src/contract/identity.ts';
import type { ChatEvent } from '../../../server/src/contract/chat.ts';
import { startRuntime, type Runtime } from '../../../server/src/runtime.ts';
import { CLASSIFIER_SYSTEM } from '../../../server/src/agents/main/routing/classifier.ts';
import { FAKE_KEYS, reply, startFakeLlm, type FakeLlmServer } from '../../helpers/fake-llm/index.ts';
import { quietLogger } from '../../helpers/ha.ts';
import { makeTempDir } from '../../helpers/tmp.ts';

let runtime: Runtime;
let fake: FakeLlmServer;
const dir = makeTempDir();
const alex: Identity = { userId: 'u-alex', userName: 'alex', displayName: 'Alex', via: 'ingress' };

async function chat(text: string, conversationId = 'r1'): Promise<{ reply: string; events: ChatEvent[] }> {
  const events: ChatEvent[] = [];
  for await (const e of runtime.chat.process(text, { identity: alex, signal: new AbortController().signal, conversationId, agent: undefined })) events.push(e);
  const done = events.find((e) => e.type === 'done');
  return { reply: done?.type === 'done' ? done.reply : '', events };
}

beforeAll(async () => {
  fake = await startFakeLlm({ respond: (req) => reply.text(req.body.system === CLASSIFIER_SYSTEM ? 'OTHER' : 'Hello from main.') });
  const env = { LLM_PROVIDER: 'anthropic', LLM_ROUTING: 'classifier', ANTHROPIC_API_KEY: FAKE_KEYS.anthropic, ANTHROPIC_BASE_URL: fake.anthropicBaseUrl };
  const config = { ...loadConfig({ env, argv: ['--data-dir', dir.path, '--mqtt-embedded-port', '0'], optionsFile: join(dir.path, 'none.json') }), port: 0 };
  runtime = await startRuntime({ config, logger: quietLogger() });
});

afterAll(async () => {
  await runtime.stop();
  await fake.close();
  dir.cleanup();
});

describe('the orchestrator in the runtime', () => {
  it('starts main and monitor under the root supervisor, protected', async () => {
    expect(runtime.system.get('main')).toMatchObject({ state: 'running', isProtected: true });
    expect(runtime.system.get('monitor')).toMatchObject({ state: 'running', isProtected: true });
    expect(runtime.system.supervisorOf('main')?.name).toBe('root');
    const { reply: agents } = await chat('/agents');
    expect(agents).toMatch(/main +orchestrator · running · protected/);
    expect(agents).toMatch(/monitor +monitor · running · protected/);
  });

  it('answers through the configured provider and keeps the transcript per user', async () => {
    const { reply: answer, events } = await chat('hello');
    expect(answer).toBe('Hello from main.');
    expect(events.filter((e) => e.type === 'delta').map((e) => (e.type === 'delta' ? e.text : '')).join('')).toBe(answer);
    const list = await runtime.chat.conversations({ identity: alex, signal: new AbortController().signal });
    expect(list.map((c) => c.id)).toContain('r1');
    expect(runtime.llm.ledger.report({ period: 'all' }).totals.calls).toBeGreaterThanOrEqual(2);
  });

  it('turns an error published on MQTT into a notice at the start of the next answer', async () => {
    runtime.bus.publish('agentErrors', { id: 'garage-cam' }, { phase: 'compile', severity: 'fatal', message: 'SyntaxError: Unexpected token', ts: Date.now() });
    await vi.waitFor(() => expect(runtime.orchestrator.notifications.size).toBe(1), { timeout: 10_000 });
    const { reply: answer } = await chat('anything new?');
    expect(answer).toBe('🔴 garage-cam: failed to compile (SyntaxError: Unexpected token). Its code or configuration needs fixing, so it will not be restarted.\n\nHello from main.');
  });
});
