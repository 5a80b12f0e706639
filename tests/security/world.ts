// The whole product as an attacker on the home network meets it: startRuntime() with a real
// Mosquitto as the shared broker, the demo home, and a scripted fake LLM; plus a plain mqtt.js
// client holding broker credentials (which every MQTT device of a Home Assistant install has).
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { CLASSIFIER_SYSTEM } from '../../server/src/agents/main/routing/classifier.ts';
import { FACTS_SYSTEM } from '../../server/src/agents/main/memory/facts-extractor.ts';
import { RESOLVE_SYSTEM } from '../../server/src/agents/ha/one-off/resolve.ts';
import { loadConfig } from '../../server/src/config/load.ts';
import { startRuntime, type Runtime } from '../../server/src/runtime.ts';
import type { TurnContext } from '../../server/src/agents/main/turn-context.ts';
import type { SpawnConfig } from '../../server/src/agents/spawn-config/config-schema.ts';
import { validateSpawnConfig } from '../../server/src/agents/spawn-config/validate.ts';
import { startMosquitto, type MosquittoBroker } from '../helpers/brokers.ts';
import { FAKE_KEYS, reply, startFakeLlm, type FakeLlmServer, type FakeReply, type FakeRequest } from '../helpers/fake-llm/index.ts';
import { eventually } from '../helpers/eventually.ts';
import { quietLogger } from '../helpers/ha.ts';
import { makeTempDir } from '../helpers/tmp.ts';

export function systemOf(r: FakeRequest): string {
  const s = r.body.system;
  return typeof s === 'string' ? s : JSON.stringify(s ?? '');
}

function lastUserText(r: FakeRequest): string {
  const messages = (r.body.messages ?? []) as { role: string; content: unknown }[];
  const last = [...messages].reverse().find((m) => m.role === 'user');
  return typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content ?? '');
}

/** The call sites the worlds script, recognised by their system prompts. */
export type CallKind = 'classifier' | 'resolve' | 'facts' | 'planner' | 'conversation';

export function kindOf(r: FakeRequest): CallKind {
  const system = systemOf(r);
  if (system.includes(CLASSIFIER_SYSTEM.slice(0, 60))) return 'classifier';
  if (system.includes(RESOLVE_SYSTEM.slice(0, 60))) return 'resolve';
  if (system.includes(FACTS_SYSTEM.slice(0, 60))) return 'facts';
  if (system.includes('You design reactive rules')) return 'planner';
  return 'conversation';
}

/**
 * A home model: device commands are classified ACTUATE and resolved to the obvious call,
 * "when ... unlock" requests are rules, everything else is answered by the conversation.
 */
export function homeScript(r: FakeRequest): FakeReply {
  const said = lastUserText(r).toLowerCase();
  switch (kindOf(r)) {
    case 'classifier':
      if (said.includes('when ')) return reply.text('PIPELINE');
      return reply.text(/\b(open|close|turn on|turn off|unlock|lock)\b/.test(said) ? 'ACTUATE' : 'OTHER');
    case 'resolve': {
      const request = said.slice(said.lastIndexOf('request:'));
      if (request.includes('garage')) return reply.text(JSON.stringify({ calls: [{ domain: 'cover', service: 'open_cover', entity_id: 'cover.garage_door' }] }));
      if (request.includes('unlock')) return reply.text(JSON.stringify({ calls: [{ domain: 'lock', service: 'unlock', entity_id: 'lock.front_door' }] }));
      return reply.text(JSON.stringify({ calls: [{ domain: 'light', service: 'turn_on', entity_id: 'light.hallway' }] }));
    }
    case 'facts':
      return reply.text('{"facts":[]}');
    case 'planner':
      return reply.text(JSON.stringify(UNLOCK_PLAN));
    case 'conversation':
      return reply.text('It is a quiet evening at home.');
  }
}

/** A sensitive rule the owner asks for: the planner model answers with it. */
export const UNLOCK_PLAN = {
  pattern: 'ha_sensor_action',
  title: 'Unlock the front door when the doorbell sensor opens',
  summary: 'Unlocks lock.front_door when binary_sensor.front_door opens.',
  agents: [{
    name: 'front-door-unlock',
    description: 'Unlocks lock.front_door when binary_sensor.front_door opens',
    spawn_config: {
      type: 'ha_actuator',
      mqtt_topics: ['ha/state_changes/binary_sensor/binary_sensor.front_door'],
      detection_filter: { 'new_state.state': 'on' },
      actions: [{ domain: 'lock', service: 'unlock', entity_id: 'lock.front_door' }],
    },
  }],
};

/** The answer to a task on agents/by-name/{name}/task, as published on its reply topic. */
export interface TaskReply {
  status: string;
  data?: unknown;
  error?: { code: string; message: string };
}

export interface World {
  runtime: Runtime;
  fake: FakeLlmServer;
  broker: MosquittoBroker;
  /** A plain MQTT client with broker credentials: the attacker, or an honest device. */
  outsider: MqttClient;
  /** Sends a task on agents/by-name/{agent}/task as any broker client can, and waits for the reply. */
  mqttTask(agent: string, payload: unknown, from?: string): Promise<TaskReply>;
  /** The owner in the panel: a chat turn on the panel channel. */
  owner(text: string, conversationId?: string): Promise<string>;
  state(entityId: string): string | undefined;
  close(): Promise<void>;
}

let replies = 0;

export async function startWorld(respond: (r: FakeRequest) => FakeReply = homeScript): Promise<World> {
  const dir = makeTempDir('wactorz-security-');
  const broker = await startMosquitto();
  const fake = await startFakeLlm({ respond });
  const env = {
    WACTORZ_DATA_DIR: dir.path,
    MQTT_URL: broker.url,
    WACTORZ_DEMO: 'true',
    LLM_PROVIDER: 'anthropic',
    // The scripted model answers the classifier; the one-call tool path has its own tests.
    LLM_ROUTING: 'classifier',
    ANTHROPIC_API_KEY: FAKE_KEYS.anthropic,
    ANTHROPIC_BASE_URL: fake.anthropicBaseUrl,
  };
  const config = { ...loadConfig({ env, argv: [], optionsFile: join(dir.path, 'nonexistent.json') }), port: 0, wyomingPort: 0 };
  const runtime = await startRuntime({ config, logger: quietLogger() });
  await eventually(() => runtime.mqtt.state() === 'connected', 'the runtime is connected to Mosquitto');
  const outsider = await mqtt.connectAsync(broker.url, { clientId: `outsider-${process.pid}-${replies++}` });
  const waiting = new Map<string, (v: TaskReply) => void>();
  outsider.on('message', (_topic, payload) => {
    const body = JSON.parse(payload.toString()) as TaskReply & { correlation_id?: string };
    const id = body.correlation_id;
    const done = id === undefined ? undefined : waiting.get(id);
    if (id !== undefined && done) {
      waiting.delete(id);
      done(body);
    }
  });
  const replyTopic = `wactorz/replies/outsider-${process.pid}`;
  await outsider.subscribeAsync(replyTopic, { qos: 1 });

  const ownerCtx = (conversationId: string): TurnContext => ({ user: { id: 'owner', name: 'Alex' }, channel: 'panel', conversationId });
  return {
    runtime,
    fake,
    broker,
    outsider,
    mqttTask(agent, payload, from = 'doorbell') {
      const correlation_id = `c-${replies++}`;
      return new Promise<TaskReply>((resolve) => {
        waiting.set(correlation_id, resolve);
        void outsider.publishAsync(`wactorz/agents/by-name/${agent}/task`, JSON.stringify({ payload, from, correlation_id, reply_topic: replyTopic }), { qos: 1 });
      });
    },
    async owner(text, conversationId = 'owner-chat') {
      return (await runtime.orchestrator.ask(text, ownerCtx(conversationId))).reply;
    },
    state: (entityId) => runtime.ha.getState(entityId)?.state,
    async close() {
      try {
        await outsider.endAsync(!outsider.connected);
        await runtime.stop();
      } finally {
        await fake.close();
        await broker.stop();
        dir.cleanup();
      }
    },
  };
}

/** A spawn config as a user or the LLM writes it, checked by the one spawn validator. */
export function spawnConfig(input: unknown): SpawnConfig {
  const v = validateSpawnConfig(input);
  if (!v.ok) throw new Error(v.error);
  return v.config;
}

/** The text of main's answer to an MQTT task. */
export function answerText(r: TaskReply): string {
  if (r.status !== 'ok') return r.error?.message ?? '';
  const d = r.data as { text?: string } | undefined;
  return d?.text ?? JSON.stringify(r.data);
}
