// `npm run bench turn`: LLM calls, prompt sizes and time per chat turn (issue 15). The whole
// runtime (demo home, embedded broker, SQLite) answers through a scripted model server that takes
// a fixed time per call, so every sequential call shows in the turn's time. For each kind of
// request: the calls made before the answer and in all (fact extraction included), the characters
// sent, the time to the first streamed text and to the answer. The baseline, in the same run: one
// direct call to the same model server with the same text, the least a model-answered turn costs.
import { join } from 'node:path';
import { CLASSIFIER_SYSTEM } from '../server/src/agents/main/routing/classifier.ts';
import { FACTS_SYSTEM } from '../server/src/agents/main/memory/facts-extractor.ts';
import { RESOLVE_SYSTEM } from '../server/src/agents/ha/one-off/resolve.ts';
import { validateSpawnConfig } from '../server/src/agents/spawn-config/validate.ts';
import { loadConfig } from '../server/src/config/load.ts';
import { startRuntime } from '../server/src/runtime.ts';
import { FAKE_KEYS, reply, startFakeLlm, type FakeReply, type FakeRequest } from '../tests/helpers/fake-llm/index.ts';
import { quietLogger } from '../tests/helpers/ha.ts';
import { makeTempDir } from '../tests/helpers/tmp.ts';
import { nowUs, type Bench, type BenchResult } from './harness.ts';

/** Each model call takes this long: a fast hosted model's first token. */
const CALL_MS = 120;
const REPEAT = 3;

const PLAN = {
  pattern: 'ha_sensor_action',
  title: 'Hallway light when the front door opens',
  summary: 'Turns on the hallway light when the front door opens.',
  agents: [{ name: 'front-door-light', description: 'Turns on light.hallway when binary_sensor.front_door opens', spawn_config: { type: 'ha_actuator', mqtt_topics: ['ha/state_changes/binary_sensor/binary_sensor.front_door'], detection_filter: { 'new_state.state': 'on' }, actions: [{ domain: 'light', service: 'turn_on', entity_id: 'light.hallway' }] } }],
};

const KINDS = [
  { kind: 'device command', text: 'turn on the hallway light', label: 'ACTUATE' },
  { kind: 'state question', text: 'what is the living room temperature?', label: 'HA' },
  { kind: 'rule request', text: 'when the front door opens, turn on the hallway light', label: 'PIPELINE' },
  { kind: 'chit-chat', text: 'tell me a joke', label: 'OTHER' },
  { kind: '@agent', text: '@echo hello there', label: 'OTHER' },
  { kind: 'slash command', text: '/agents', label: 'OTHER' },
] as const;

function systemOf(r: FakeRequest): string {
  const s = r.body.system;
  return typeof s === 'string' ? s : JSON.stringify(s ?? '');
}

function said(r: FakeRequest): string {
  return JSON.stringify(r.body.messages ?? []);
}

/** The request's text as a whole JSON string: "turn on the hallway light" is not found inside the rule's text. */
function asked(r: FakeRequest, text: string): boolean {
  return said(r).includes(JSON.stringify(text));
}

function answer(r: FakeRequest): FakeReply {
  const system = systemOf(r);
  if (system.includes(CLASSIFIER_SYSTEM.slice(0, 60))) return reply.text(KINDS.find((k) => asked(r, k.text))?.label ?? 'OTHER');
  if (system.includes(RESOLVE_SYSTEM.slice(0, 60))) return reply.text(JSON.stringify({ calls: [{ domain: 'light', service: 'turn_on', entity_id: 'light.hallway' }] }));
  if (system.includes(FACTS_SYSTEM.slice(0, 60))) return reply.text('{"facts":[]}');
  if (system.includes('You design reactive rules')) return reply.text(JSON.stringify(PLAN));
  // Main's one-call turn (LLM_ROUTING=tools, the default): tool calls for the command and the rule.
  const tools = ((r.body.tools ?? []) as { name: string }[]).map((t) => t.name);
  if (tools.includes('control_devices') && asked(r, KINDS[0].text)) return reply.tool('control_devices', { calls: [{ domain: 'light', service: 'turn_on', entity_id: 'light.hallway' }] });
  if (tools.includes('propose_rule') && asked(r, KINDS[2].text)) return reply.tool('propose_rule', { request: KINDS[2].text });
  return reply.text('It is 21.5 °C in the living room, and here is a joke about thermostats.', { chunks: ['It is 21.5 °C ', 'in the living room, ', 'and here is a joke about thermostats.'] });
}

interface TurnFigures {
  before: number;
  total: number;
  chars: number;
  firstMs: number;
  answerMs: number;
}

const bench: Bench = async () => {
  const dir = makeTempDir('wactorz-bench-turn-');
  const arrivals: { at: number; chars: number }[] = [];
  const fake = await startFakeLlm({
    respond: async (r) => {
      arrivals.push({ at: nowUs(), chars: JSON.stringify(r.body).length });
      await new Promise((resolve) => setTimeout(resolve, CALL_MS));
      return answer(r);
    },
  });
  // LLM_ROUTING=classifier measures the classifier-then-handler path (the "before" of issue 15).
  const routing = process.env.LLM_ROUTING === 'classifier' ? 'classifier' : 'tools';
  const env = { LLM_ROUTING: routing, WACTORZ_DATA_DIR: dir.path, MQTT_EMBEDDED_PORT: '0', WACTORZ_DEMO: 'true', LLM_PROVIDER: 'anthropic', ANTHROPIC_API_KEY: FAKE_KEYS.anthropic, ANTHROPIC_BASE_URL: fake.anthropicBaseUrl };
  const config = { ...loadConfig({ env, argv: [], optionsFile: join(dir.path, 'none.json') }), port: 0 };
  const runtime = await startRuntime({ config, logger: quietLogger() });
  const results: BenchResult[] = [];
  try {
    const echo = validateSpawnConfig({ name: 'echo', type: 'dynamic', description: 'echoes', code: 'async function handleTask(agent, p) { return "echo: " + JSON.stringify(p); }' });
    if (!echo.ok) throw new Error(echo.error);
    await runtime.spawner.spawn(echo.config, { by: 'user' });

    // The baseline: one call to the same server with the same text, through the same service.
    const baseline: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
      const t0 = nowUs();
      await runtime.llm.complete({ callSite: 'conversation', agent: 'bench', messages: [{ role: 'user', content: 'tell me a joke' }] });
      baseline.push((nowUs() - t0) / 1000);
    }
    arrivals.length = 0;
    const baselineMs = median(baseline);

    const mix: TurnFigures[] = [];
    for (const k of KINDS) {
      const runs: TurnFigures[] = [];
      for (let i = 0; i < REPEAT; i++) {
        await runtime.orchestrator.idle();
        arrivals.length = 0;
        const t0 = nowUs();
        let first = 0;
        let done = 0;
        for await (const e of runtime.orchestrator.process(k.text, { user: { id: 'bench' }, channel: 'panel', conversationId: `bench-${k.kind}-${i}` })) {
          if (e.type === 'delta' && e.text && !first) first = nowUs();
          if (e.type === 'done') done = nowUs();
        }
        await runtime.orchestrator.idle();
        // Calls that arrived before the answer were on its path; the rest ran after it.
        runs.push({ before: arrivals.filter((a) => a.at < done).length, total: arrivals.length, chars: arrivals.reduce((n, a) => n + a.chars, 0), firstMs: ((first || done) - t0) / 1000, answerMs: (done - t0) / 1000 });
      }
      const f: TurnFigures = { before: median(runs.map((r) => r.before)), total: median(runs.map((r) => r.total)), chars: median(runs.map((r) => r.chars)), firstMs: median(runs.map((r) => r.firstMs)), answerMs: median(runs.map((r) => r.answerMs)) };
      mix.push(f);
      const modelAnswered = k.kind !== 'slash command' && k.kind !== '@agent';
      results.push(
        { name: `${k.kind}: calls before the answer`, value: f.before, unit: 'calls', ...(modelAnswered ? { goal: '<= 1 (2 with a tool result)', met: f.before <= (k.kind === 'state question' ? 2 : 1) } : { goal: '0', met: f.before === 0 }) },
        { name: `${k.kind}: calls in all (facts included)`, value: f.total, unit: 'calls' },
        { name: `${k.kind}: characters sent to the model`, value: f.chars, unit: 'chars' },
        { name: `${k.kind}: time to the answer`, value: f.answerMs, unit: 'ms', baseline: { name: `one direct call (${CALL_MS} ms each)`, value: baselineMs }, ...(modelAnswered ? { goal: '<= 1.3x baseline', met: f.answerMs <= 1.3 * baselineMs } : {}) },
        { name: `${k.kind}: time to the first text`, value: f.firstMs, unit: 'ms' },
      );
    }
    const avg = mix.reduce((n, f) => n + f.total, 0) / mix.length;
    results.push({ name: `average calls per turn over the mix (routing: ${routing})`, value: avg, unit: 'calls', goal: '<= 1.5', met: avg <= 1.5 });

    // A bigger home: 300 more entities with realistic names (no areas: the demo's registries are
    // fixed), then the device command's prompt sizes again.
    const home = runtime.haDemo;
    if (home) {
      const rooms = ['kitchen', 'living_room', 'bedroom', 'guest_room', 'office', 'hallway', 'bathroom', 'garage', 'basement', 'attic', 'porch', 'garden', 'dining_room', 'laundry', 'nursery'];
      const kinds: [string, string, Record<string, unknown>][] = [['light', 'off', {}], ['switch', 'off', {}], ['sensor', '21.4', { unit_of_measurement: '°C', device_class: 'temperature' }], ['binary_sensor', 'off', { device_class: 'motion' }]];
      for (let i = 0; i < 300; i++) {
        const room = rooms[i % rooms.length] ?? 'room';
        const [domain, state, attrs] = kinds[Math.floor(i / rooms.length) % kinds.length] ?? ['light', 'off', {}];
        const n = Math.floor(i / (rooms.length * kinds.length)) + 1;
        home.setState(`${domain}.${room}_${domain}_${n}`, state, { friendly_name: `${room.replace('_', ' ')} ${domain.replace('_', ' ')} ${n}`, ...attrs });
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      arrivals.length = 0;
      for await (const e of runtime.orchestrator.process(KINDS[0].text, { user: { id: 'bench' }, channel: 'panel', conversationId: 'bench-300' })) void e;
      await runtime.orchestrator.idle();
      const biggest = Math.max(...arrivals.map((a) => a.chars));
      results.push({ name: 'device command, 300-entity home: characters sent (all calls)', value: arrivals.reduce((n, a) => n + a.chars, 0), unit: 'chars' });
      // ~4 characters per token for this kind of text.
      results.push({ name: 'device command, 300-entity home: largest prompt, tokens (chars/4)', value: Math.round(biggest / 4), unit: 'tokens', goal: '<= 2,500', met: biggest / 4 <= 2500 });
    }
  } finally {
    await runtime.stop();
    await fake.close();
    dir.cleanup();
  }
  return results;
};

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

export default bench;
