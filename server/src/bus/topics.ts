// The typed topic map: every system topic, declared once as pattern -> payload schema -> QoS.
// All patterns sit under the configurable root (default `wactorz`), so the system shares a broker
// with Home Assistant and Zigbee2MQTT without stepping on their topics. Payload schemas live in
// payloads.ts. QoS policy: commands and events someone acts on are QoS 1 (outboxed while offline);
// telemetry (heartbeats, logs, metrics, state streams) is QoS 0 and dropped while offline.
import type { z } from 'zod';
import * as P from './payloads.ts';

export type Qos = 0 | 1;

interface TopicSpec<S extends z.ZodType = z.ZodType> {
  readonly pattern: string;
  readonly schema: S;
  readonly qos: Qos;
  readonly retain?: boolean;
}

function spec<const Pat extends string, S extends z.ZodType>(pattern: Pat, schema: S, qos: Qos, retain = false) {
  return { pattern, schema, qos, retain } as const;
}

export const TOPICS = {
  agentHeartbeat: spec('agents/{id}/heartbeat', P.Heartbeat, 0),
  agentLogs: spec('agents/{id}/logs', P.LogEvent, 0),
  agentErrors: spec('agents/{id}/errors', P.ErrorEvent, 1),
  agentAlert: spec('agents/{id}/alert', P.AlertEvent, 1),
  agentMetrics: spec('agents/{id}/metrics', P.MetricsEvent, 0),
  agentCompleted: spec('agents/{id}/completed', P.CompletedEvent, 1),
  // QoS 0: local subscribers get local actuations in-process (claimed, core/system.ts); the broker
  // copy is a mirror, and a QoS 1 PUBACK stalled the next trigger behind the broker's Nagle.
  agentActuations: spec('agents/{id}/actuations', P.ActuationEvent, 0),
  agentManifest: spec('agents/{id}/manifest', P.Manifest, 1, true),
  agentCommands: spec('agents/{id}/commands', P.CommandRequest, 1),
  agentCommandReply: spec('agents/{id}/commands/reply', P.CommandReply, 1),
  agentChat: spec('agents/{id}/chat', P.ChatEvent, 1),
  agentTaskByName: spec('agents/by-name/{name}/task', P.TaskEnvelope, 1),
  /** Where an actor of this process (main) waits for the answer to one task it sent by name. */
  agentTaskReply: spec('agents/{id}/replies/{correlation_id}', P.TaskReply, 1),
  systemHealth: spec('system/health', P.SystemHealth, 0),
  /** `online` once connected; `offline` from the connection's last will or a graceful stop. */
  systemAvailability: spec('system/availability', P.Availability, 1, true),
  nodeSpawn: spec('nodes/{node}/spawn', P.NodeSpawn, 1),
  nodeStop: spec('nodes/{node}/stop', P.NodeStop, 1),
  nodeMigrate: spec('nodes/{node}/migrate', P.NodeMigrate, 1),
  nodeList: spec('nodes/{node}/list', P.NodeList, 1),
  nodeHeartbeat: spec('nodes/{node}/heartbeat', P.NodeHeartbeat, 0),
  nodeMigrateResult: spec('nodes/{node}/migrate_result', P.NodeMigrateResult, 1),
  nodeResult: spec('nodes/{node}/result', P.NodeResult, 1),
  /** Where an agent on an edge node waits for the answer to one task it sent by name. */
  nodeTaskReply: spec('nodes/{node}/replies/{correlation_id}', P.TaskReply, 1),
  customTrigger: spec('custom/triggers/{slug}', P.LooseEvent, 1),
  customDetection: spec('custom/detections/{slug}', P.LooseEvent, 0),
  scheduleFired: spec('schedule/{name}/fired', P.ScheduleFired, 1),
  haStateChange: spec('ha/state_changes/{domain}/{entity_id}', P.HaStateChange, 0),
  /** The state bridge with per-entity topics turned off: every change on one topic. */
  haStateChanges: spec('ha/state_changes', P.HaStateChange, 0),
  haEntitiesWithLocation: spec('ha/map/entities_with_location', P.HaEntityMap, 0, true),
  haEntitiesWithLocationChunk: spec('ha/map/entities_with_location/chunks/{index}', P.HaEntityMapChunk, 0, true),
} as const satisfies Record<string, TopicSpec>;

export type TopicKey = keyof typeof TOPICS;

/**
 * Topics only this process publishes (relative to the root). HA state changes reach rules and
 * agents in-process from the state bridge; their MQTT topics are an outbound mirror for others,
 * and whatever arrives on them from the broker is dropped (anyone on the broker could forge it).
 */
export const PROCESS_OWNED_TOPICS: readonly string[] = ['ha/state_changes/#'];

type ParamNames<Pat extends string> = Pat extends `${string}{${infer N}}${infer Rest}` ? N | ParamNames<Rest> : never;

/** The `{placeholders}` of a topic as an object, e.g. `{ id: string }` for agentHeartbeat. */
export type TopicParams<K extends TopicKey> = { [N in ParamNames<(typeof TOPICS)[K]['pattern']>]: string };
/** The payload type of a topic, inferred from its zod schema. */
export type TopicPayload<K extends TopicKey> = z.output<(typeof TOPICS)[K]['schema']>;
/** What a publisher may pass (the schema's input side: defaults may be omitted). */
export type TopicPayloadIn<K extends TopicKey> = z.input<(typeof TOPICS)[K]['schema']>;

const PLACEHOLDER = /\{([a-z_]+)\}/g;

/** A pattern split once into levels: a literal, or the name of a placeholder (hot path: no regex). */
interface Compiled {
  readonly literals: readonly (string | undefined)[];
  readonly names: readonly (string | undefined)[];
}

const COMPILED = new Map<TopicKey, Compiled>();

function compiled(key: TopicKey): Compiled {
  let c = COMPILED.get(key);
  if (!c) {
    const levels = TOPICS[key].pattern.split('/');
    const names = levels.map((l) => (l.startsWith('{') ? l.slice(1, -1) : undefined));
    c = { literals: levels.map((l, i) => (names[i] === undefined ? l : undefined)), names };
    COMPILED.set(key, c);
  }
  return c;
}

/** A topic segment must not contain MQTT separators or wildcards [MQTT-4.7.1-1]. */
export function isValidSegment(s: string): boolean {
  return s.length > 0 && !s.includes('/') && !s.includes('+') && !s.includes('#');
}

/** The concrete topic for a key, under the root. Throws on a parameter that would change the topic's shape. */
export function topicFor<K extends TopicKey>(root: string, key: K, params: TopicParams<K>): string {
  const { literals, names } = compiled(key);
  const values = params as Record<string, string | undefined>;
  let out = root;
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    if (name === undefined) {
      out += `/${literals[i] as string}`;
      continue;
    }
    const v = values[name];
    if (v === undefined || !isValidSegment(v)) throw new Error(`Topic ${key}: parameter ${name}=${JSON.stringify(v)} is not a valid topic segment.`);
    out += `/${v}`;
  }
  return out;
}

/** The root-relative topic for a key, as agents and spawn configs name system topics. */
export function relativeTopicFor<K extends TopicKey>(key: K, params: TopicParams<K>): string {
  return topicFor('', key, params).slice(1);
}

/** A subscription filter for a key: given parameters are fixed, the others become `+`. */
export function filterFor<K extends TopicKey>(root: string, key: K, params: Partial<TopicParams<K>> = {}): string {
  const values = params as Record<string, string | undefined>;
  return underRoot(root, TOPICS[key].pattern.replace(PLACEHOLDER, (_m, name: string) => values[name] ?? '+'));
}

/** A key's topic and everything below it (`.../#`), e.g. every HA state change whatever its shape. */
export function subtreeFilter<K extends TopicKey>(root: string, key: K, params: TopicParams<K>): string {
  return `${topicFor(root, key, params)}/#`;
}

// Topics that are data rather than system topics (what agent code and spawn configs name, relative
// to the root) join the root here, so the one place that knows how a topic hangs under the root
// is this file.

/** The broker topic (or filter) of a root-relative one. */
export function underRoot(root: string, relative: string): string {
  return `${root}/${relative}`;
}

/** Whether a broker topic lies under the root. */
export function isUnderRoot(root: string, topic: string): boolean {
  return topic.startsWith(`${root}/`);
}

/** The root-relative name of a broker topic; a topic outside the root is returned as it is. */
export function relativeToRoot(root: string, topic: string): string {
  return isUnderRoot(root, topic) ? topic.slice(root.length + 1) : topic;
}

/** Reads the parameters back out of a concrete topic; undefined when the topic is not of this key. */
export function parseTopic<K extends TopicKey>(root: string, key: K, topic: string): TopicParams<K> | undefined {
  return parseTopicLevels(root.split('/'), key, topic.split('/'));
}

/** parseTopic for a topic and root already split into levels (the bus splits each message once). */
export function parseTopicLevels<K extends TopicKey>(rootLevels: readonly string[], key: K, levels: readonly string[]): TopicParams<K> | undefined {
  const { literals, names } = compiled(key);
  const offset = rootLevels.length;
  if (levels.length !== offset + names.length) return undefined;
  for (let i = 0; i < offset; i++) if (levels[i] !== rootLevels[i]) return undefined;
  const out: Record<string, string> = {};
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const v = levels[offset + i];
    if (name === undefined) {
      if (v !== literals[i]) return undefined;
    } else {
      out[name] = v;
    }
  }
  return out as TopicParams<K>;
}
