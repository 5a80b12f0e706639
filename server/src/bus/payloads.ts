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

/** A task addressed by name (remote agents, the edge runner). */
export const TaskEnvelope = z.looseObject({
  payload: z.unknown(),
  from: z.string().optional(),
  correlation_id: z.string().optional(),
  /** Where to publish the result, when the sender wants one. */
  reply_topic: z.string().optional(),
});
export type TaskEnvelope = z.infer<typeof TaskEnvelope>;

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

export const NodeSpawn = z.looseObject({ name: z.string() });
export const NodeStop = z.looseObject({ name: z.string() });
export const NodeMigrate = z.looseObject({ name: z.string(), target: z.string() });
export const NodeList = z.looseObject({ reply_topic: z.string().optional() });
export const NodeHeartbeat = z.looseObject({ node: z.string(), agents: z.array(z.string()), ts });
export const NodeMigrateResult = z.looseObject({ name: z.string(), ok: z.boolean(), error: z.string().optional() });

export const LooseEvent = z.looseObject({});
export const ScheduleFired = z.looseObject({ ts });

export const HaStateChange = z.looseObject({
  entity_id: z.string(),
  domain: z.string(),
  new_state: z.unknown(),
  old_state: z.unknown(),
});
export const HaEntityMap = z.looseObject({ entities: z.array(z.looseObject({ entity_id: z.string() })) });
