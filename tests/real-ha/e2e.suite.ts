// End to end on the real Home Assistant: the product as its own process (HA_URL + token from
// `npm run ha:real`, a real MQTT broker on the port HA's mqtt entry points at, a scripted LLM), used
// the way a person would, through chat. A rule proposed and approved in chat turns a real demo
// light on when a demo motion sensor changes (set through HA's API); its proposal's backtest counts
// the changes HA's recorder really kept; a scheduled rule fires; "unlock the front door" waits for a
// confirmation; after `kill -9` and a restart the rule still fires.
import { describe, expect, it } from 'vitest';
import { RESOLVE_SYSTEM } from '../../server/src/agents/ha/one-off/resolve.ts';
import { CLASSIFIER_SYSTEM } from '../../server/src/agents/main/routing/classifier.ts';
import { FACTS_SYSTEM } from '../../server/src/agents/main/memory/facts-extractor.ts';
import { startBroker, type TestBroker } from '../../scripts/real-ha/broker.ts';
import type { Connection } from '../../scripts/real-ha/instance.ts';
import { eventually } from '../helpers/eventually.ts';
import { reply, startFakeLlm, type FakeLlmServer, type FakeRequest } from '../helpers/fake-llm/index.ts';
import type { HaTarget } from '../helpers/ha-target.ts';
import { startServerProcess, stopServerProcess, waitForOutput, type ServerProcess } from '../helpers/server-process.ts';
import { makeTempDir } from '../helpers/tmp.ts';
import { stateOf } from './ha-rest.ts';
import { until } from './poll.ts';
import { productEnv } from './product-env.ts';

const MOTION = 'binary_sensor.movement_backyard';
const LIGHT = 'light.bed_light';
const SCHEDULED_LIGHT = 'light.kitchen_lights';
const LOCK = 'lock.front_door';

const MOTION_PLAN = {
  pattern: 'ha_sensor_action',
  title: 'Bed light on backyard movement',
  summary: 'Turns on the bed light when the backyard motion sensor sees movement.',
  agents: [{
    name: 'backyard-bed-light',
    description: `Turns on ${LIGHT} when ${MOTION} turns on`,
    spawn_config: { type: 'ha_actuator', mqtt_topics: [`ha/state_changes/binary_sensor/${MOTION}`], detection_filter: { 'new_state.state': 'on' }, cooldown_seconds: 0, actions: [{ domain: 'light', service: 'turn_on', entity_id: LIGHT }] },
  }],
};

const schedulePlan = (at: Date) => ({
  pattern: 'schedule_action',
  title: 'Kitchen lights in a moment',
  summary: 'Turns on the kitchen lights once, a few seconds from now.',
  agents: [{ name: 'kitchen-lights-once', description: `Turns on ${SCHEDULED_LIGHT} once`, spawn_config: { type: 'scheduled', schedule: { type: 'once', at: at.toISOString() }, actions: [{ domain: 'light', service: 'turn_on', entity_id: SCHEDULED_LIGHT }] } }],
});

function systemOf(r: FakeRequest): string {
  const s = r.body.system;
  return typeof s === 'string' ? s : JSON.stringify(s ?? '');
}

function script(r: FakeRequest) {
  const system = systemOf(r);
  const said = JSON.stringify(r.body.messages ?? []);
  if (system.includes(CLASSIFIER_SYSTEM.slice(0, 60))) return reply.text(said.includes('unlock') ? 'ACTUATE' : said.includes('when ') || said.includes('in a moment') ? 'PIPELINE' : 'OTHER');
  if (system.includes('You design reactive rules')) return reply.text(JSON.stringify(said.includes('in a moment') ? schedulePlan(new Date(Date.now() + 8_000)) : MOTION_PLAN));
  if (system.includes(RESOLVE_SYSTEM.slice(0, 60))) return reply.text(JSON.stringify({ calls: [{ domain: 'lock', service: 'unlock', entity_id: LOCK }] }));
  if (system.includes(FACTS_SYSTEM.slice(0, 60))) return reply.text('{"facts":[]}');
  return reply.text('OK.');
}

interface Product {
  server: ServerProcess;
  chat(message: string, conversationId?: string): Promise<string>;
}

async function startProduct(env: Record<string, string>): Promise<Product> {
  const server = await startServerProcess(env);
  await waitForOutput(server, 'wactorz is up', 60_000);
  return {
    server,
    async chat(message, conversationId = 'real-ha-e2e') {
      const res = await fetch(`${server.baseUrl}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message, conversation_id: conversationId }) });
      const body = (await res.json()) as { reply?: string };
      if (!res.ok) throw new Error(`POST /api/chat answered ${res.status}: ${JSON.stringify(body)}`);
      return body.reply ?? '';
    },
  };
}

/**
 * How often the rule's filter (new state "on") matched MOTION's recorded changes over the last 7
 * days, counted straight from HA's history API. A restart of HA records the demo sensor's initial
 * "on" again, so an "on" after an "on" is a change the rule would have seen too.
 */
async function recordedOpenings(t: HaTarget): Promise<number> {
  const start = new Date(Date.now() - 7 * 24 * 3_600_000).toISOString();
  // Without end_time HA answers one day from the start.
  const end = new Date().toISOString();
  const res = await t.api(`history/period/${encodeURIComponent(start)}?filter_entity_id=${MOTION}&end_time=${encodeURIComponent(end)}`);
  const series = ((await res.json()) as { state: string }[][])[0] ?? [];
  let n = 0;
  // The first entry is the state in force at the window's start, not a change.
  for (let i = 1; i < series.length; i++) if (series[i].state === 'on') n++;
  return n;
}

async function untilState(t: HaTarget, entityId: string, state: string, what: string): Promise<void> {
  await until(() => stateOf(t, entityId), (current) => current === state, `${what} (${entityId})`, t.patienceMs);
}

export function realHaEndToEnd(target: () => HaTarget, connection: () => Connection): void {
  describe('end to end on the real HA', { timeout: 300_000 }, () => {
    it('a chat-approved rule, its backtest, a scheduled rule, a confirmed unlock, and kill -9', async () => {
      const t = target();
      const c = connection();
      const dir = makeTempDir('wactorz-real-ha-e2e-');
      let broker: TestBroker | undefined;
      let fake: FakeLlmServer | undefined;
      let product: Product | undefined;
      try {
        // The broker HA's mqtt entry points at: HA connects to it as well as the product.
        broker = await startBroker(c.mqtt.host, c.mqtt.port);
        fake = await startFakeLlm({ respond: script });
        const env = { ...productEnv(c, dir.path, fake), MQTT_URL: broker.url };
        // History the backtest will read: two openings recorded by HA's own recorder.
        for (const s of ['off', 'on', 'off', 'on', 'off']) {
          await t.setState(MOTION, s);
          await untilState(t, MOTION, s, `the motion sensor ${s}`);
        }
        // The recorder commits every second: poll HA's history until both openings are in.
        let recorded = 0;
        for (const deadline = Date.now() + t.patienceMs; recorded < 2 && Date.now() < deadline; ) {
          recorded = await recordedOpenings(t);
          if (recorded < 2) await new Promise((r) => setTimeout(r, 250));
        }
        expect(recorded).toBeGreaterThanOrEqual(2);

        product = await startProduct(env);
        const proposal = await product.chat('when there is movement in the backyard, turn on the bed light');
        expect(proposal).toContain('Reply "yes" to approve');
        expect(Number(/would have fired (\d+) time/.exec(proposal)?.[1])).toBe(await recordedOpenings(t));
        expect(await product.chat('yes')).toMatch(/Rule [0-9a-f]{8} is running/);

        await t.api('services/light/turn_off', { method: 'POST', body: JSON.stringify({ entity_id: LIGHT }) });
        await untilState(t, LIGHT, 'off', 'the bed light off');
        await t.setState(MOTION, 'on');
        await untilState(t, LIGHT, 'on', 'the rule turning the bed light on');
        await eventually(() => broker!.connectedClients() >= 2, 'HA\'s mqtt integration and the product both on the test broker', t.patienceMs);

        // A scheduled rule, proposed and approved the same way, fires a few seconds later.
        await t.api('services/light/turn_off', { method: 'POST', body: JSON.stringify({ entity_id: SCHEDULED_LIGHT }) });
        await untilState(t, SCHEDULED_LIGHT, 'off', 'the kitchen lights off');
        expect(await product.chat('turn on the kitchen lights in a moment', 'schedule')).toContain('Reply "yes" to approve');
        expect(await product.chat('yes', 'schedule')).toMatch(/Rule [0-9a-f]{8} is running/);
        await untilState(t, SCHEDULED_LIGHT, 'on', 'the scheduled rule firing');

        // A lock is not opened on the model's word alone.
        await t.api('services/lock/lock', { method: 'POST', body: JSON.stringify({ entity_id: LOCK }) });
        await untilState(t, LOCK, 'locked', 'the front door locked');
        const unlock = await product.chat('unlock the front door', 'door');
        expect(unlock).toContain('security-sensitive');
        expect(unlock).toContain('Reply "yes"');
        expect(await stateOf(t, LOCK)).toBe('locked');
        await product.chat('no', 'door');
        expect(await stateOf(t, LOCK)).toBe('locked');

        // kill -9, then a restart over the same data: the rule is restored and still fires.
        product.server.child.kill('SIGKILL');
        expect(await product.server.exited).toBe('SIGKILL');
        product = await startProduct(env);
        await t.setState(MOTION, 'off');
        await untilState(t, MOTION, 'off', 'the motion sensor off');
        await t.api('services/light/turn_off', { method: 'POST', body: JSON.stringify({ entity_id: LIGHT }) });
        await untilState(t, LIGHT, 'off', 'the bed light off again');
        const agents = async () => ((await (await fetch(`${product!.server.baseUrl}/api/agents`)).json()) as { name: string; state: string }[]).find((a) => a.name === 'backyard-bed-light')?.state;
        for (const deadline = Date.now() + t.patienceMs; (await agents()) !== 'running' && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 200));
        expect(await agents()).toBe('running');
        await t.setState(MOTION, 'on');
        await untilState(t, LIGHT, 'on', 'the restored rule turning the bed light on');
      } finally {
        await stopServerProcess(product?.server);
        await fake?.close();
        await broker?.close();
        dir.cleanup();
      }
    });
  });
}
