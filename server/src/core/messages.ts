// Messages between actors, defined once: a zod discriminated union on `type` (used where messages
// cross a trust boundary, e.g. a task arriving over MQTT) with the TypeScript types inferred from
// it, and one factory per message. Inside the process, factories build plain objects and nothing
// is re-validated: the types already hold, and the mailbox hot path must stay allocation-light.
import { z } from 'zod';
import { Severity } from '../bus/payloads.ts';

export const ErrorInfo = z.object({
  message: z.string(),
  name: z.string().optional(),
  /** Where it happened: handle, start, stop, heartbeat, setup, process... */
  phase: z.string().optional(),
  severity: Severity.optional(),
  stack: z.string().optional(),
});
export type ErrorInfo = z.infer<typeof ErrorInfo>;

const from = z.string().optional().describe('sender actor id, when an actor sent it');
const correlationId = z.string().optional().describe('set on asks; the reply carries the same id');

/**
 * Where a task came from when it crossed a trust boundary: `mqtt` (anyone with broker
 * credentials) or `agent` (LLM-written code in the sandbox). Set by the code that received it,
 * never read from a payload; absent for the process's own code.
 */
export const Via = z.enum(['mqtt', 'agent']);
export type Via = z.infer<typeof Via>;

export const TaskMessage = z.object({ type: z.literal('task'), payload: z.unknown(), from, correlationId, via: Via.optional() });
export const ResultMessage = z.object({ type: z.literal('result'), payload: z.unknown(), from, correlationId });
export const ErrorMessage = z.object({ type: z.literal('error'), error: ErrorInfo, from, correlationId });
export const HeartbeatMessage = z.object({ type: z.literal('heartbeat'), ts: z.number() });
/** A command that is not a lifecycle command (those are handled by the system, not the actor). */
export const CommandMessage = z.object({ type: z.literal('command'), command: z.string(), args: z.unknown().optional(), from, correlationId });
/** A message from a bus subscription, delivered through the mailbox so it is handled in turn. */
export const EventMessage = z.object({ type: z.literal('event'), topic: z.string(), payload: z.unknown() });

export const Message = z.discriminatedUnion('type', [TaskMessage, ResultMessage, ErrorMessage, HeartbeatMessage, CommandMessage, EventMessage]);
export type Message = z.infer<typeof Message>;
export type MessageType = Message['type'];
export type TaskMessage = z.infer<typeof TaskMessage>;
export type ResultMessage = z.infer<typeof ResultMessage>;
export type ErrorMessage = z.infer<typeof ErrorMessage>;
export type HeartbeatMessage = z.infer<typeof HeartbeatMessage>;
export type CommandMessage = z.infer<typeof CommandMessage>;
export type EventMessage = z.infer<typeof EventMessage>;

/** Why an actor failed; what a supervisor receives. */
export const FailureReason = z.enum(['crash', 'start_failed', 'heartbeat_silence', 'escalated']);
export type FailureReason = z.infer<typeof FailureReason>;

/** The typed failure an actor's supervisor is told about. */
export const Failure = z.object({
  type: z.literal('failure'),
  actorId: z.string(),
  name: z.string(),
  reason: FailureReason,
  error: ErrorInfo,
  ts: z.number(),
});
export type Failure = z.infer<typeof Failure>;

interface Addressing {
  from?: string;
  correlationId?: string;
}

export function task(payload: unknown, opts?: Addressing & { via?: Via }): TaskMessage {
  const msg: TaskMessage = { type: 'task', payload, from: opts?.from, correlationId: opts?.correlationId };
  if (opts?.via) msg.via = opts.via;
  return msg;
}

export function result(payload: unknown, opts?: Addressing): ResultMessage {
  return { type: 'result', payload, from: opts?.from, correlationId: opts?.correlationId };
}

export function errorMessage(error: ErrorInfo, opts?: Addressing): ErrorMessage {
  return { type: 'error', error, from: opts?.from, correlationId: opts?.correlationId };
}

export function heartbeat(ts: number): HeartbeatMessage {
  return { type: 'heartbeat', ts };
}

export function command(name: string, args?: unknown, opts?: Addressing): CommandMessage {
  return { type: 'command', command: name, args, from: opts?.from, correlationId: opts?.correlationId };
}

export function event(topic: string, payload: unknown): EventMessage {
  return { type: 'event', topic, payload };
}

export function failure(actorId: string, name: string, reason: FailureReason, error: ErrorInfo, ts: number): Failure {
  return { type: 'failure', actorId, name, reason, error, ts };
}

/** An ErrorInfo from anything thrown (non-Errors included: `throw "x"` happens in agent code). */
export function toErrorInfo(err: unknown, phase?: string): ErrorInfo {
  if (err instanceof Error) return { message: err.message, name: err.name, phase, stack: err.stack };
  return { message: typeof err === 'string' ? err : JSON.stringify(err) ?? String(err), phase };
}
