// Agents and rules as entities of the real Home Assistant, through its own MQTT integration (the
// entry scripts/real-ha made at layout, pointed at the test broker's port): the product runs as its
// own process on that broker; a rule approved in chat brings its agent; HA shows them with the
// right device classes and units; HA's button.press restarts the agent and switch.turn_off
// disables the rule (HA's own services, through its REST API); deleting the agent removes its
// entities from HA.
import { describe, expect, it } from 'vitest';
import { CLASSIFIER_SYSTEM } from '../../server/src/agents/main/routing/classifier.ts';
import { FACTS_SYSTEM } from '../../server/src/agents/main/memory/facts-extractor.ts';
import { startBroker, type TestBroker } from '../../scripts/real-ha/broker.ts';
import type { Connection } from '../../scripts/real-ha/instance.ts';
import { eventually } from '../helpers/eventually.ts';
import { reply, startFakeLlm, type FakeLlmServer, type FakeRequest } from '../helpers/fake-llm/index.ts';
import type { HaTarget } from '../helpers/ha-target.ts';
import { startServerProcess, stopServerProcess, waitForOutput, type ServerProcess } from '../helpers/server-process.ts';
import { makeTempDir } from '../helpers/tmp.ts';
import { until } from './poll.ts';
import { productEnv } from './product-env.ts';

const AGENT = 'porch-lamp';
/** HA makes entity ids of `default_entity_id` with its slugify: `-` becomes `_`. */
const AGENT_ID = 'wactorz_agent_porch_lamp';

const PLAN = {
  pattern: 'ha_sensor_action',
  title: 'Bed light on backyard movement (discovery)',
  summary: 'Turns on the bed light when the backyard motion sensor sees movement.',
  agents: [{
    name: AGENT,
    description: 'Turns on light.bed_light when binary_sensor.movement_backyard turns on',
    spawn_config: { type: 'ha_actuator', mqtt_topics: ['ha/state_changes/binary_sensor/binary_sensor.movement_backyard'], detection_filter: { 'new_state.state': 'on' }, cooldown_seconds: 0, actions: [{ domain: 'light', service: 'turn_on', entity_id: 'light.bed_light' }] },
  }],
};

function script(r: FakeRequest) {
  const system = typeof r.body.system === 'string' ? r.body.system : JSON.stringify(r.body.system ?? '');
  if (system.includes(CLASSIFIER_SYSTEM.slice(0, 60))) return reply.text('PIPELINE');
  if (system.includes('You design reactive rules')) return reply.text(JSON.stringify(PLAN));
  if (system.includes(FACTS_SYSTEM.slice(0, 60))) return reply.text('{"facts":[]}');
  return reply.text('OK.');
}

interface HaState {
  state: string;
  attributes: Record<string, unknown>;
}

async function entity(t: HaTarget, id: string): Promise<HaState | undefined> {
  const res = await t.api(`states/${id}`);
  return res.ok ? ((await res.json()) as HaState) : undefined;
}

export function realHaMqttDiscovery(target: () => HaTarget, connection: () => Connection): void {
  describe('agents and rules as entities of the real HA (MQTT discovery)', { timeout: 300_000 }, () => {
    it('entities with device classes and units; restart and switch-off from HA; deletion removes them', async () => {
      const t = target();
      const c = connection();
      const dir = makeTempDir('wactorz-real-ha-discovery-');
      let broker: TestBroker | undefined;
      let fake: FakeLlmServer | undefined;
      let server: ServerProcess | undefined;
      try {
        broker = await startBroker(c.mqtt.host, c.mqtt.port);
        fake = await startFakeLlm({ respond: script });
        server = await startServerProcess({ ...productEnv(c, dir.path, fake), MQTT_URL: broker.url });
        await waitForOutput(server, 'wactorz is up', 60_000);
        const base = server.baseUrl;
        const chat = async (message: string) => {
          const res = await fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message, conversation_id: 'discovery' }) });
          return ((await res.json()) as { reply?: string }).reply ?? '';
        };
        const agentInfo = async () => ((await (await fetch(`${base}/api/agents`)).json()) as { name: string; state: string; started_at: string | null }[]).find((a) => a.name === AGENT);
        const rules = async () => (await (await fetch(`${base}/api/rules`)).json()) as { id: string; enabled: boolean; agents: { name: string }[] }[];

        expect(await chat('when there is movement in the backyard, turn on the bed light')).toContain('Reply "yes" to approve');
        expect(await chat('yes')).toMatch(/Rule [0-9a-f]{8} is running/);
        const rule = (await rules()).find((r) => r.agents.some((a) => a.name === AGENT));
        expect(rule).toBeDefined();
        const ruleSwitch = `switch.wactorz_rule_${rule!.id}_enabled`;
        await eventually(() => broker!.connectedClients() >= 2, "HA's mqtt integration and the product both on the test broker", t.patienceMs);

        // The entities, as HA itself shows them.
        const cost = await until(() => entity(t, `sensor.${AGENT_ID}_cost`), (e) => e !== undefined && e.state !== 'unavailable', 'the agent cost sensor in HA', t.patienceMs);
        expect(cost!.attributes).toMatchObject({ device_class: 'monetary', unit_of_measurement: 'USD', state_class: 'total' });
        const status = await until(() => entity(t, `sensor.${AGENT_ID}_status`), (e) => e?.state === 'running', 'the agent status running in HA', t.patienceMs);
        expect(status!.attributes).toMatchObject({ device_class: 'enum' });
        expect(await entity(t, `sensor.${AGENT_ID}_errors`)).toMatchObject({ attributes: { state_class: 'total_increasing' } });
        expect(await entity(t, `button.${AGENT_ID}_restart`)).toMatchObject({ attributes: { device_class: 'restart' } });
        expect(await entity(t, `switch.${AGENT_ID}_paused`)).toMatchObject({ state: 'off' });
        expect(await until(() => entity(t, ruleSwitch), (e) => e?.state === 'on', 'the rule switch on in HA', t.patienceMs)).toBeDefined();
        expect(await entity(t, `sensor.wactorz_rule_${rule!.id}_last_fired`)).toMatchObject({ attributes: { device_class: 'timestamp' } });
        expect(await entity(t, 'sensor.wactorz_server_spent_today')).toMatchObject({ attributes: { device_class: 'monetary', unit_of_measurement: 'USD' } });

        // HA's restart button restarts the agent: a new start time, running again.
        const before = (await agentInfo())!.started_at;
        await t.api('services/button/press', { method: 'POST', body: JSON.stringify({ entity_id: `button.${AGENT_ID}_restart` }) });
        await until(agentInfo, (a) => a?.state === 'running' && a.started_at !== before, 'the agent restarted from HA', t.patienceMs);

        // HA's switch turns the rule off.
        await t.api('services/switch/turn_off', { method: 'POST', body: JSON.stringify({ entity_id: ruleSwitch }) });
        await until(rules, (rs) => rs.find((r) => r.id === rule!.id)?.enabled === false, 'the rule disabled from HA', t.patienceMs);
        await until(() => entity(t, ruleSwitch), (e) => e?.state === 'off', 'the rule switch off in HA', t.patienceMs);
        await until(agentInfo, (a) => a?.state === 'stopped', "the rule's agent stopped", t.patienceMs);

        // Deleting the agent removes its entities from HA.
        expect((await fetch(`${base}/api/agents/${AGENT}`, { method: 'DELETE' })).ok).toBe(true);
        await until(() => entity(t, `sensor.${AGENT_ID}_cost`), (e) => e === undefined, "the deleted agent's cost sensor gone from HA", t.patienceMs);
        expect(await entity(t, `button.${AGENT_ID}_restart`)).toBeUndefined();
        expect(await entity(t, `switch.${AGENT_ID}_paused`)).toBeUndefined();
      } finally {
        await stopServerProcess(server);
        await fake?.close();
        await broker?.close();
        dir.cleanup();
      }
    });
  });
}
