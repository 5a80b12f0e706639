// Agents and rules as Home Assistant entities, on a real Mosquitto with a plain MQTT client playing
// Home Assistant: the whole runtime (demo home, SQLite in a temp dir) publishes retained discovery
// configs with HA's device classes and units, marks itself online and (through its last will)
// offline, republishes on HA's birth message, obeys the switch and button commands broker data may
// send and refuses (and logs) the rest, and empties the configs of a deleted agent.
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { SpawnConfig } from '../../../server/src/agents/spawn-config/config-schema.ts';
import { deployRule } from '../../../server/src/agents/planner/rules/deploy.ts';
import type { ProposalPlan } from '../../../server/src/agents/planner/proposals/proposal.ts';
import { loadConfig } from '../../../server/src/config/load.ts';
import { startRuntime, type Runtime } from '../../../server/src/runtime.ts';
import { startMosquitto, type MosquittoBroker } from '../../helpers/brokers.ts';
import { eventually } from '../../helpers/eventually.ts';
import { makeTempDir } from '../../helpers/tmp.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const COUNTER = 'async function handleTask(agent) { return "ok"; }';
const AGENT = 'porch-watcher';

/** A client that keeps the newest retained-or-live message of every topic, as HA's view. */
async function playHa(url: string): Promise<{ client: MqttClient; seen: Map<string, string>; log: { topic: string; payload: string }[] }> {
  const client = await mqtt.connectAsync(url, { clientId: `fake-ha-${Math.random().toString(16).slice(2)}` });
  const seen = new Map<string, string>();
  const log: { topic: string; payload: string }[] = [];
  client.on('message', (topic, payload) => {
    seen.set(topic, payload.toString('utf8'));
    log.push({ topic, payload: payload.toString('utf8') });
  });
  await client.subscribeAsync(['homeassistant/#', 'wactorz/system/availability', 'wactorz/ha-discovery/#'], { qos: 1 });
  cleanups.push(() => client.endAsync());
  return { client, seen, log };
}

interface Lines {
  lines: Record<string, unknown>[];
}

async function startProduct(broker: MosquittoBroker, extra: string[] = []): Promise<Runtime & Lines> {
  const dir = makeTempDir('wactorz-ha-discovery-');
  cleanups.push(() => dir.cleanup());
  const lines: Record<string, unknown>[] = [];
  // The bridge's log lines, as a person would read them in the add-on log.
  const logger = pino({ level: 'info' }, {
    write(line: string) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      if (entry.component === 'ha-discovery') lines.push(entry);
    },
  });
  const config = { ...loadConfig({ env: {}, argv: ['--data-dir', dir.path, '--mqtt-url', broker.url, ...extra], optionsFile: join(dir.path, 'none.json') }), port: 0 };
  const runtime = await startRuntime({ config, logger });
  let stopped = false;
  cleanups.push(() => (stopped ? undefined : runtime.stop()));
  // A copy, so the product's own stop() is still the runtime's.
  return {
    ...runtime,
    lines,
    stop: async () => {
      stopped = true;
      await runtime.stop();
    },
  };
}

async function addRule(r: Runtime, id: string, input: unknown): Promise<void> {
  const config = SpawnConfig.parse({ automation_id: id, ...(input as object) });
  const plan = { pattern: 'ha_sensor_action', title: `Rule ${id}`, summary: '', agents: [{ name: config.name, description: '', config }] } as unknown as ProposalPlan;
  const deployed = await deployRule({ ruleId: id, text: `rule ${id}`, plan, confirmed: true, now: Date.now() }, r.spawner);
  if (!deployed.ok) throw new Error(deployed.error);
  await r.planner.rules.add(deployed.rule);
}

const json = (s: string | undefined) => (s ? (JSON.parse(s) as Record<string, unknown>) : undefined);

describe('agents and rules as HA entities over MQTT discovery', { timeout: 120_000 }, () => {
  it('configs, availability, birth, commands obeyed and refused, deletion', async () => {
    const broker = await startMosquitto();
    cleanups.push(() => broker.stop());
    const ha = await playHa(broker.url);
    const product = await startProduct(broker);
    await product.spawner.spawn({ name: AGENT, type: 'dynamic', code: COUNTER } as SpawnConfig, { by: 'user' });
    await addRule(product, 'a1b2c3d4', { name: 'hall-light', type: 'ha_actuator', mqtt_topics: ['ha/state_changes/binary_sensor/binary_sensor.hallway_motion'], actions: [{ domain: 'light', service: 'turn_on', target: { entity_id: ['light.hallway'] } }] });
    await addRule(product, 'deadbeef', { name: 'door-unlock', type: 'ha_actuator', mqtt_topics: ['ha/state_changes/binary_sensor/binary_sensor.front_door'], actions: [{ domain: 'lock', service: 'unlock', target: { entity_id: ['lock.front_door'] } }] });

    const cfg = (t: string) => json(ha.seen.get(`homeassistant/${t}/config`));
    await eventually(() => cfg(`button/wactorz_agent_${AGENT}/restart`) !== undefined && cfg('switch/wactorz_rule_deadbeef/enabled') !== undefined, 'the agent and both rules announced');
    expect(cfg(`sensor/wactorz_agent_${AGENT}/cost`)).toMatchObject({ device_class: 'monetary', unit_of_measurement: 'USD', state_class: 'total' });
    expect(cfg(`sensor/wactorz_agent_${AGENT}/status`)).toMatchObject({ device_class: 'enum' });
    expect(cfg(`switch/wactorz_agent_${AGENT}/paused`)).toMatchObject({ command_topic: `wactorz/ha-discovery/agents/${AGENT}/pause/set` });
    expect(cfg('sensor/wactorz_rule_a1b2c3d4/last_fired')).toMatchObject({ device_class: 'timestamp' });
    expect(cfg('sensor/wactorz_server/spent_today')).toMatchObject({ device_class: 'monetary', unit_of_measurement: 'USD' });
    // Protected actors are shown, without controls.
    expect(cfg('sensor/wactorz_agent_main/status')).toBeDefined();
    expect(cfg('button/wactorz_agent_main/restart')).toBeUndefined();
    expect(json(ha.seen.get('wactorz/system/availability'))).toEqual({ state: 'online' });
    expect(json(ha.seen.get('wactorz/ha-discovery/rules/a1b2c3d4/state'))).toMatchObject({ enabled: 'ON' });

    // Retained: a client that connects now (HA after a restart) gets every config at once.
    const late = await playHa(broker.url);
    await eventually(() => late.seen.has(`homeassistant/switch/wactorz_agent_${AGENT}/paused/config`), 'retained configs for a late subscriber');

    // HA's birth message: every config is sent again.
    const before = ha.log.filter((m) => m.topic.endsWith('/config')).length;
    await ha.client.publishAsync('homeassistant/status', 'online', { qos: 1 });
    await eventually(() => ha.log.filter((m) => m.topic === `homeassistant/sensor/wactorz_agent_${AGENT}/cost/config`).length >= 2 && ha.log.filter((m) => m.topic.endsWith('/config')).length >= before * 2, 'every config republished after HA came online');

    // Switch a rule off and on; pause, resume and restart the agent.
    await ha.client.publishAsync('wactorz/ha-discovery/rules/a1b2c3d4/set', 'OFF', { qos: 1 });
    await eventually(() => json(ha.seen.get('wactorz/ha-discovery/rules/a1b2c3d4/state'))?.enabled === 'OFF', 'the rule switched off from HA');
    expect((await product.rules.list()).find((r) => r.id === 'a1b2c3d4')?.enabled).toBe(false);
    expect(product.system.get('hall-light')?.state).toBe('stopped');
    await ha.client.publishAsync('wactorz/ha-discovery/rules/a1b2c3d4/set', 'ON', { qos: 1 });
    await eventually(() => json(ha.seen.get('wactorz/ha-discovery/rules/a1b2c3d4/state'))?.enabled === 'ON', 'the rule switched on again from HA');

    await ha.client.publishAsync(`wactorz/ha-discovery/agents/${AGENT}/pause/set`, 'ON', { qos: 1 });
    await eventually(() => product.system.get(AGENT)?.state === 'paused', 'the agent paused from HA');
    await eventually(() => json(ha.seen.get(`wactorz/ha-discovery/agents/${AGENT}/state`))?.paused === 'ON', 'the pause switch on in HA');
    await ha.client.publishAsync(`wactorz/ha-discovery/agents/${AGENT}/pause/set`, 'OFF', { qos: 1 });
    await eventually(() => product.system.get(AGENT)?.state === 'running', 'the agent resumed from HA');
    const firstId = product.system.get(AGENT)?.id;
    const startedAt = product.system.get(AGENT)?.metrics().startedAt;
    await ha.client.publishAsync(`wactorz/ha-discovery/agents/${AGENT}/restart/press`, 'PRESS', { qos: 1 });
    await eventually(() => product.lines.some((l) => l.msg === 'ha discovery command done' && l.topic === `wactorz/ha-discovery/agents/${AGENT}/restart/press`), 'the restart logged with its topic');
    const after = product.system.get(AGENT);
    expect(after?.state).toBe('running');
    expect(after?.id !== firstId || after?.metrics().startedAt !== startedAt).toBe(true);

    // Refused: enabling a rule on a lock (disabling it is fine), anything on main, other payloads.
    await ha.client.publishAsync('wactorz/ha-discovery/rules/deadbeef/set', 'OFF', { qos: 1 });
    await eventually(() => json(ha.seen.get('wactorz/ha-discovery/rules/deadbeef/state'))?.enabled === 'OFF', 'the lock rule switched off from HA');
    await ha.client.publishAsync('wactorz/ha-discovery/rules/deadbeef/set', 'ON', { qos: 1 });
    await ha.client.publishAsync('wactorz/ha-discovery/agents/main/pause/set', 'ON', { qos: 1 });
    await ha.client.publishAsync('wactorz/ha-discovery/agents/main/restart/press', 'PRESS', { qos: 1 });
    await eventually(() => product.lines.filter((l) => l.msg === 'ha discovery command refused').length >= 3, 'three refusals logged');
    const refused = product.lines.filter((l) => l.msg === 'ha discovery command refused');
    expect(refused.map((l) => l.topic)).toEqual(['wactorz/ha-discovery/rules/deadbeef/set', 'wactorz/ha-discovery/agents/main/pause/set', 'wactorz/ha-discovery/agents/main/restart/press']);
    expect(String(refused[0].reason)).toContain('lock.front_door');
    expect((await product.rules.list()).find((r) => r.id === 'deadbeef')?.enabled).toBe(false);
    expect(product.system.get('main')?.state).toBe('running');

    // A deleted agent takes its entities with it (empty retained configs).
    await product.spawner.delete(AGENT);
    await eventually(() => ha.seen.get(`homeassistant/sensor/wactorz_agent_${AGENT}/status/config`) === '' && ha.seen.get(`homeassistant/button/wactorz_agent_${AGENT}/restart/config`) === '', 'the deleted agent\'s configs emptied');
    expect(await product.rules.delete('a1b2c3d4', undefined as never)).toBe(true);
    await eventually(() => ha.seen.get('homeassistant/switch/wactorz_rule_a1b2c3d4/enabled/config') === '', 'the deleted rule\'s switch emptied');

    // A graceful stop says offline itself.
    await product.stop();
    await eventually(() => json(ha.seen.get('wactorz/system/availability'))?.state === 'offline', 'offline after a stop');
  });

  it('the last will marks the server offline when its connection dies', async () => {
    const broker = await startMosquitto();
    cleanups.push(() => broker.stop());
    const ha = await playHa(broker.url);
    const product = await startProduct(broker);
    await eventually(() => json(ha.seen.get('wactorz/system/availability'))?.state === 'online', 'online');
    // No goodbye: the socket just goes away, as when the process is killed.
    product.mqtt.client.stream.destroy();
    await eventually(() => json(ha.seen.get('wactorz/system/availability'))?.state === 'offline', 'offline from the last will');
    // The reconnect says online again.
    await eventually(() => json(ha.seen.get('wactorz/system/availability'))?.state === 'online', 'online again after the reconnect');
  });

  it('with commands off, no switches or buttons and command topics are ignored', async () => {
    const broker = await startMosquitto();
    cleanups.push(() => broker.stop());
    const ha = await playHa(broker.url);
    const product = await startProduct(broker, ['--ha-discovery-commands', 'false']);
    await product.spawner.spawn({ name: AGENT, type: 'dynamic', code: COUNTER } as SpawnConfig, { by: 'user' });
    await eventually(() => ha.seen.has(`homeassistant/sensor/wactorz_agent_${AGENT}/status/config`), 'the agent announced');
    expect([...ha.seen.keys()].some((t) => t.startsWith('homeassistant/button/') || t.startsWith('homeassistant/switch/'))).toBe(false);
    await ha.client.publishAsync(`wactorz/ha-discovery/agents/${AGENT}/pause/set`, 'ON', { qos: 1 });
    // A marker after the command: once the product saw it, it saw the command before it.
    await ha.client.publishAsync('homeassistant/status', 'online', { qos: 1 });
    const n = ha.log.length;
    await eventually(() => ha.log.length > n + 3, 'the republish after the marker');
    expect(product.system.get(AGENT)?.state).toBe('running');
    expect(product.lines.some((l) => String(l.msg).startsWith('ha discovery command'))).toBe(false);
  });
});
