// The whole process for browser tests: startRuntime() with a configuration loaded as a user would
// set it (temp data dir, embedded broker on a free port, the demo home, Anthropic pointed at a
// scripted fake LLM), serving the built panel from its default directory.
import { join } from 'node:path';
import { CLASSIFIER_SYSTEM } from '../../../server/src/agents/main/routing/classifier.ts';
import { FACTS_SYSTEM } from '../../../server/src/agents/main/memory/facts-extractor.ts';
import { loadConfig } from '../../../server/src/config/load.ts';
import type { AccessPolicy } from '../../../server/src/http/access-policy.ts';
import { startRuntime, type Runtime } from '../../../server/src/runtime.ts';
import { FAKE_KEYS, reply, startFakeLlm, type FakeLlmServer, type FakeReply, type FakeRequest } from '../../helpers/fake-llm/index.ts';
import { quietLogger } from '../../helpers/ha.ts';
import { makeTempDir } from '../../helpers/tmp.ts';

/** The Markdown the conversation model streams, in these deltas. */
/**
 * A bound on a hang for a test that starts a whole server (SQLite, broker, demo home) and drives a
 * browser against it, not a speed requirement: alone such a test takes a few seconds, but in the
 * full suite on two cores it has gone past vitest's default 20 s.
 */
export const REAL_SERVER_TEST = { timeout: 60_000 };

export const ANSWER_CHUNKS = ['The **hallway light** ', 'is off and the front door is closed.\n\n', '- living room: 21.5 °C\n', '- humidity: 45%'];
export const ANSWER = ANSWER_CHUNKS.join('');

/** What the user types to ask for a rule, and the plan the planner model answers with. */
export const RULE_SENTENCE = 'when the front door opens, turn on the hallway light';
export const DOOR_LIGHT_PLAN = {
  pattern: 'ha_sensor_action',
  title: 'Hallway light when the front door opens',
  summary: 'Turns on the hallway light when the front door sensor opens.',
  agents: [{
    name: 'front-door-hall-light',
    description: 'Turns on light.hallway when binary_sensor.front_door opens',
    spawn_config: {
      type: 'ha_actuator',
      mqtt_topics: ['ha/state_changes/binary_sensor/binary_sensor.front_door'],
      detection_filter: { 'new_state.state': 'on' },
      actions: [{ domain: 'light', service: 'turn_on', entity_id: 'light.hallway' }],
    },
  }],
};

function systemOf(r: FakeRequest): string {
  const s = r.body.system;
  return typeof s === 'string' ? s : JSON.stringify(s ?? '');
}

/** Answers each call by what it is: classifier, planner, fact extraction, or the conversation. */
export function script(r: FakeRequest): FakeReply {
  const system = systemOf(r);
  const said = JSON.stringify(r.body.messages ?? []);
  if (system.includes(CLASSIFIER_SYSTEM.slice(0, 60))) return reply.text(said.includes('front door opens') ? 'PIPELINE' : 'OTHER');
  if (system.includes('You design reactive rules')) return reply.text(JSON.stringify(DOOR_LIGHT_PLAN));
  if (system.includes(FACTS_SYSTEM.slice(0, 60))) return reply.text('{"facts":[]}');
  return reply.text(ANSWER, { chunks: ANSWER_CHUNKS });
}

export interface RealServer {
  runtime: Runtime;
  fake: FakeLlmServer;
  /** The panel's base URL (ends with no slash). */
  url: string;
  close(): Promise<void>;
}

/** `respond` replaces the scripted model (a test that needs other answers usually falls back to `script`). */
export async function startRealServer(opts: { access?: Partial<AccessPolicy>; respond?: (r: FakeRequest) => FakeReply } = {}): Promise<RealServer> {
  const dir = makeTempDir('wactorz-e2e-');
  const fake = await startFakeLlm({ respond: opts.respond ?? script });
  try {
    const env = {
      WACTORZ_DATA_DIR: dir.path,
      MQTT_EMBEDDED_PORT: '0',
      WACTORZ_DEMO: 'true',
      LLM_PROVIDER: 'anthropic',
      LLM_ROUTING: 'classifier',
      ANTHROPIC_API_KEY: FAKE_KEYS.anthropic,
      ANTHROPIC_BASE_URL: fake.anthropicBaseUrl,
    };
    // WACTORZ_PORT accepts 1..65535 only; port 0 (a free one) is set on the loaded config.
    const config = { ...loadConfig({ env, argv: [], optionsFile: join(dir.path, 'nonexistent.json') }), port: 0, wyomingPort: 0 };
    const runtime = await startRuntime({ config, logger: quietLogger(), ...(opts.access ? { access: opts.access } : {}) });
    const url = runtime.address.replace(/\/$/, '');
    return {
      runtime,
      fake,
      url,
      async close() {
        try {
          await runtime.stop();
        } finally {
          await fake.close();
          dir.cleanup();
        }
      },
    };
  } catch (err) {
    await fake.close();
    dir.cleanup();
    throw err;
  }
}
