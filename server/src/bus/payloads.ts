// Payload schemas of the system topics (see topics.ts for the map). Wire payloads are snake_case
// JSON, as in the original, and reused by the HTTP API and the panel. Event payloads are loose
// objects: producers may add fields (cost, node, ...) without breaking older consumers.
import { z } from 'zod';

const ts = z.number().describe('milliseconds since the epoch');

export const ActorStateName = z.enum(['created', 'running', 'paused', 'stopped', 'failed']);
export type ActorStateName = z.infer<typeof ActorStateName>;

export const ActorMetricsWire = z.looseObject({
  messages_processed: z.number().int(),
  errors: z.number().int(),
  dropped: z.number().int(),
  mailbox: z.number().int(),
  restarts: z.number().int(),
  uptime_s: z.number(),
  last_heartbeat: ts.nullable(),
});
export type ActorMetricsWire = z.infer<typeof ActorMetricsWire>;

export const Heartbeat = z.looseObject({
  id: z.string(),
  name: z.string(),
  state: ActorStateName,
  ts,
  protected: z.boolean().optional(),
  node: z.string().optional(),
  metrics: ActorMetricsWire,
});
export type Heartbeat = z.infer<typeof Heartbeat>;

export const LogEvent = z.looseObject({
  type: z.string(),
  message: z.string(),
  level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  ts,
});

export const Severity = z.enum(['warning', 'degraded', 'critical', 'fatal']);
export type Severity = z.infer<typeof Severity>;

export const ErrorEvent = z.looseObject({
  phase: z.string(),
  severity: Severity,
  message: z.string(),
  ts,
  name: z.string().optional(),
  stack: z.string().optional(),
});
export type ErrorEvent = z.infer<typeof ErrorEvent>;

export const AlertEvent = z.looseObject({ type: z.string(), message: z.string(), severity: Severity, ts });
export const MetricsEvent = z.looseObject({ ts });
export const CompletedEvent = z.looseObject({ ts, task_id: z.string().optional(), result_preview: z.string().optional() });
export const ActuationEvent = z.looseObject({ ts, service: z.string(), entity_id: z.string().optional() });
export const Manifest = z.looseObject({ name: z.string() });

/** Lifecycle commands the system handles itself; any other command is forwarded to the actor. */
export const LifecycleCommand = z.enum(['stop', 'pause', 'resume', 'delete', 'restart']);
export type LifecycleCommand = z.infer<typeof LifecycleCommand>;

export const CommandRequest = z.object({
  command: z.string().min(1),
  request_id: z.string().optional(),
  args: z.unknown().optional(),
});
export type CommandRequest = z.infer<typeof CommandRequest>;

/** Request/response answer shape shared by MQTT and HTTP: ok with data, or an error with a code. */
export const CommandReply = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok'), request_id: z.string().optional(), data: z.unknown().optional() }),
  z.object({
    status: z.literal('error'),
    request_id: z.string().optional(),
    error: z.object({ code: z.string(), message: z.string() }),
  }),
]);
export type CommandReply = z.infer<typeof CommandReply>;

export const ChatEvent = z.looseObject({ role: z.string(), content: z.string(), interface: z.string().optional(), ts: ts.optional() });

/** A task addressed by name (remote agents, the edge runner). Sent and answered by bus/task-request.ts. */
export const TaskEnvelope = z.looseObject({
  payload: z.unknown(),
  from: z.string().optional(),
  correlation_id: z.string().optional(),
  /** Where to publish the result, when the sender wants one. */
  reply_topic: z.string().optional(),
  /** Agent-to-agent hops so far, when an agent sent it (the sandbox bounds delegation loops). */
  hops: z.number().optional(),
});
export type TaskEnvelope = z.infer<typeof TaskEnvelope>;

/** The answer to a task, on its reply topic: the agent's value, or why it failed. */
export const TaskReply = z.discriminatedUnion('status', [
  z.looseObject({ status: z.literal('ok'), correlation_id: z.string().optional(), data: z.unknown().optional() }),
  z.looseObject({
    status: z.literal('error'),
    correlation_id: z.string().optional(),
    error: z.looseObject({ code: z.string(), message: z.string() }),
  }),
]);
export type TaskReply = z.infer<typeof TaskReply>;

export const SystemHealth = z.looseObject({
  ts,
  total: z.number().int(),
  created: z.number().int(),
  running: z.number().int(),
  paused: z.number().int(),
  stopped: z.number().int(),
  failed: z.number().int(),
});
export type SystemHealth = z.infer<typeof SystemHealth>;

/** Whether the server is up, for whoever shows its entities (HA's MQTT discovery availability). */
export const Availability = z.object({ state: z.enum(['online', 'offline']) });
export type Availability = z.infer<typeof Availability>;

// Remote nodes (agents/nodes/, edge-runner/). Every message on nodes/{node}/... is signed with the
// node's secret (agents/nodes/protocol.ts): the body below plus ts, nonce and sig. The topic map
// holds the signed wire form; a receiver verifies the signature first, then parses the body.
const Signature = { ts, nonce: z.string(), sig: z.string() };
/** Persisted keys an agent carries when it moves between nodes. */
const AgentState = z.record(z.string(), z.json());

export const NodeSpawnCommand = z.looseObject({
  name: z.string(),
  request_id: z.string(),
  /** The spawn config (type dynamic) exactly as the spawner validated it. */
  config: z.record(z.string(), z.unknown()),
  /** Persisted keys carried over by a migration. */
  state: AgentState.optional(),
  /** The owner's device topics outside the root the agent may read, never publish (mqtt_read_topics). */
  external_reads: z.array(z.string()).optional(),
});
export type NodeSpawnCommand = z.infer<typeof NodeSpawnCommand>;
export const NodeStopCommand = z.looseObject({ name: z.string(), request_id: z.string() });
export type NodeStopCommand = z.infer<typeof NodeStopCommand>;
export const NodeMigrateCommand = z.looseObject({ name: z.string(), target: z.string(), request_id: z.string() });
export type NodeMigrateCommand = z.infer<typeof NodeMigrateCommand>;
export const NodeListCommand = z.looseObject({ request_id: z.string() });
export type NodeListCommand = z.infer<typeof NodeListCommand>;

export const EdgeAgentInfo = z.looseObject({ name: z.string(), status: z.string() });
export type EdgeAgentInfo = z.infer<typeof EdgeAgentInfo>;

/** A node's answer to one command (or its refusal of one it did not believe). */
export const NodeResultBody = z.looseObject({
  request_id: z.string().optional(),
  command: z.string(),
  ok: z.boolean(),
  name: z.string().optional(),
  id: z.string().optional(),
  error: z.string().optional(),
  warnings: z.array(z.string()).optional(),
  agents: z.array(EdgeAgentInfo).optional(),
  state: AgentState.optional(),
  /** spawn: 'spawned' | 'reused' (same config already running) | 'replaced'. */
  status: z.string().optional(),
});
export type NodeResultBody = z.infer<typeof NodeResultBody>;

export const NodeHeartbeatBody = z.looseObject({ node: z.string(), host: z.string().optional(), version: z.string().optional(), agents: z.array(z.string()) });
export type NodeHeartbeatBody = z.infer<typeof NodeHeartbeatBody>;
export const NodeMigrateResultBody = z.looseObject({ name: z.string(), target: z.string().optional(), ok: z.boolean(), error: z.string().optional() });

export const NodeSpawn = NodeSpawnCommand.extend(Signature);
export const NodeStop = NodeStopCommand.extend(Signature);
export const NodeMigrate = NodeMigrateCommand.extend(Signature);
export const NodeList = NodeListCommand.extend(Signature);
export const NodeResult = NodeResultBody.extend(Signature);
export const NodeHeartbeat = NodeHeartbeatBody.extend(Signature);
export const NodeMigrateResult = NodeMigrateResultBody.extend(Signature);

export const LooseEvent = z.looseObject({});
export const ScheduleFired = z.looseObject({ ts });

export const HaStateChange = z.looseObject({
  entity_id: z.string(),
  domain: z.string(),
  new_state: z.unknown(),
  old_state: z.unknown(),
});
export const HaEntityMap = z.looseObject({ entities: z.array(z.looseObject({ entity_id: z.string() })) });
/** One piece of a map too large for one message (agents/ha/map/chunks.ts); a valid map on its own. */
export const HaEntityMapChunk = HaEntityMap.extend({ snapshot_id: z.string(), index: z.number().int(), total: z.number().int() });
