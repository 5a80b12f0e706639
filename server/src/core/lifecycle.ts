// An actor's lifecycle as a discriminated union: CREATED -> RUNNING <-> PAUSED -> STOPPED | FAILED.
// STOPPED and FAILED are terminal for an instance; a supervisor restarts by building a new
// instance from the child's factory (fresh state, same id and name).
import type { ActorStateName } from '../bus/payloads.ts';
import type { Failure } from './messages.ts';

/**
 * Why an actor stopped. `normal`: it stopped itself (a permanent child is restarted, others are
 * not). `stopped`/`deleted`: a user or the API asked (never restarted). `shutdown`: the system is
 * stopping. `supervisor`: its supervisor stopped it to restart it with siblings or to escalate.
 */
export type StopReason = 'normal' | 'stopped' | 'deleted' | 'shutdown' | 'supervisor';

export type ActorStatus =
  | { readonly state: 'created' }
  | { readonly state: 'running'; readonly since: number }
  | { readonly state: 'paused'; readonly since: number }
  | { readonly state: 'stopped'; readonly at: number; readonly reason: StopReason }
  | { readonly state: 'failed'; readonly at: number; readonly failure: Failure };

export type { ActorStateName };

export function isTerminal(s: ActorStatus): s is Extract<ActorStatus, { state: 'stopped' | 'failed' }> {
  return s.state === 'stopped' || s.state === 'failed';
}

/** A snapshot of an actor's counters (camelCase in-process; heartbeats carry the wire form). */
export interface ActorMetrics {
  messagesProcessed: number;
  errors: number;
  /** Messages refused because the mailbox was full or the actor had ended. */
  dropped: number;
  mailbox: number;
  restarts: number;
  startedAt: number | undefined;
  uptimeMs: number;
  lastHeartbeat: number | undefined;
}

export class ActorError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ActorError';
    this.code = code;
  }
}

export class AskTimeoutError extends ActorError {
  constructor(target: string, ms: number) {
    super('ask_timeout', `${target} did not answer within ${ms} ms`);
    this.name = 'AskTimeoutError';
  }
}
