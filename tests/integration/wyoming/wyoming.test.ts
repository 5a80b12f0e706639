// Assist's Wyoming conversation agent against the real runtime (embedded broker, SQLite, the
// demo home, Anthropic pointed at a scripted fake LLM), with a real TCP client speaking the
// protocol: a transcript turns on the demo's hallway light and is answered `handled`; a peer the
// add-on's policy does not allow is refused and changes nothing.
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLASSIFIER_SYSTEM } from '../../../server/src/agents/main/routing/classifier.ts';
import { FACTS_SYSTEM } from '../../../server/src/agents/main/memory/facts-extractor.ts';
import { loadConfig } from '../../../server/src/config/load.ts';
import type { PeerPolicy } from '../../../server/src/interfaces/wyoming/peers.ts';
import { startRuntime, type Runtime } from '../../../server/src/runtime.ts';
import { FAKE_KEYS, reply, startFakeLlm, type FakeReply, type FakeRequest } from '../../helpers/fake-llm/index.ts';
import { quietLogger } from '../../helpers/ha.ts';
import { makeTempDir } from '../../helpers/tmp.ts';
import { wyomingClient } from '../../helpers/wyoming-client.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function script(r: FakeRequest): FakeReply {
  const system = typeof r.body.system === 'string' ? r.body.system : JSON.stringify(r.body.system ?? '');
  if (system.includes(CLASSIFIER_SYSTEM.slice(0, 60))) return reply.text('ACTUATE');
  if (system.includes(FACTS_SYSTEM.slice(0, 60))) return reply.text('{"facts":[]}');
  return reply.text(JSON.stringify({ calls: [{ domain: 'light', service: 'turn_on', entity_id: 'light.hallway' }] }));
}

/** A free port for WACTORZ_WYOMING_PORT (0 there means off, not "any"). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function runtime(peers?: Partial<PeerPolicy>): Promise<Runtime> {
  const dir = makeTempDir();
  cleanups.push(() => dir.cleanup());
  const fake = await startFakeLlm({ respond: script });
  cleanups.push(() => fake.close());
  const env = { WACTORZ_DEMO: 'true', LLM_PROVIDER: 'anthropic', LLM_ROUTING: 'classifier', ANTHROPIC_API_KEY: FAKE_KEYS.anthropic, ANTHROPIC_BASE_URL: fake.anthropicBaseUrl, WACTORZ_WYOMING_PORT: String(await freePort()) };
  const config = { ...loadConfig({ env, argv: ['--data-dir', dir.path, '--mqtt-embedded-port', '0'], optionsFile: join(dir.path, 'none.json') }), port: 0 };
  const rt = await startRuntime({ config, logger: quietLogger(), panelDir: '/nonexistent', ...(peers ? { wyomingPeers: peers } : {}) });
  cleanups.push(() => rt.stop());
  return rt;
}

describe('Wyoming conversation agent on the real runtime', () => {
  it('describe, then "turn on the hallway light" turns the demo light on and is answered handled', async () => {
    const rt = await runtime();
    expect(rt.wyoming?.port).toBe(rt.config.wyomingPort);
    const info = await wyomingClient(rt.config.wyomingPort);
    cleanups.push(() => info.close());
    info.send('describe');
    expect((await info.next())[0]?.data.handle).toMatchObject([{ name: 'Wactorz', installed: true, supports_home_control: true }]);

    expect(rt.haDemo?.getState('light.hallway')?.state).toBe('off');
    const c = await wyomingClient(rt.config.wyomingPort);
    cleanups.push(() => c.close());
    c.send('transcript', { text: 'turn on the hallway light', language: 'en', context: { conversation_id: '01JWYOMING', device_id: 'dev1', satellite_id: 'assist_satellite.hall' } });
    const [answer] = await c.next();
    expect(answer).toEqual({ type: 'handled', data: { text: 'Done: turn on Hallway Light.', context: { conversation_id: '01JWYOMING' } } });
    expect(rt.haDemo?.getState('light.hallway')?.state).toBe('on');
    expect(rt.orchestrator.history.get('assist', '01JWYOMING')?.messages.map((m) => m.text)).toEqual(['turn on the hallway light', 'Done: turn on Hallway Light.']);
  }, 60_000);

  it('a peer the add-on does not allow (here: loopback, as not Home Assistant) is refused and changes nothing', async () => {
    const rt = await runtime({ inAddon: true });
    const c = await wyomingClient(rt.config.wyomingPort);
    cleanups.push(() => c.close());
    c.send('transcript', { text: 'turn on the hallway light' });
    expect(await c.next(2)).toEqual([{ type: 'error', data: { text: 'Wyoming in the add-on answers only Home Assistant (172.30.32.1), not 127.0.0.1', code: 'forbidden' } }]);
    await c.closed;
    expect(rt.haDemo?.getState('light.hallway')?.state).toBe('off');
    expect(rt.haDemo?.serviceCalls()).toEqual([]);
  }, 60_000);
});
