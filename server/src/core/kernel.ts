// What an actor may ask of the system it lives in. The ActorSystem implements it; actors depend
// on this interface only, so actor.ts and system.ts do not import each other.
import type { Bus } from '../bus/bus.ts';
import type { Severity } from '../bus/payloads.ts';
import type { KeyValueStore } from '../store/kv.ts';
import type { Actor } from './actor.ts';
import type { Clock } from './clock.ts';
import type { StopReason } from './lifecycle.ts';
import type { ErrorInfo, Failure, Message, Via } from './messages.ts';

export interface AskOptions {
  timeoutMs?: number;
  /** The asking actor's id, when an actor asks. */
  from?: string;
  /** Set when the task comes from the broker or from agent code (see messages.ts `Via`). */
  via?: Via;
}

export interface ActorKernel {
  readonly clock: Clock;
  readonly store: KeyValueStore;
  readonly bus: Bus | undefined;
  tell(target: string, msg: Message): boolean;
  ask<T = unknown>(target: string, payload: unknown, opts?: AskOptions): Promise<T>;
  resolveAsk(correlationId: string, value: unknown): void;
  stopActor(target: string, reason?: StopReason): Promise<boolean>;
  /** A heartbeat message reached the actor's turn: record and publish it. */
  heartbeat(actor: Actor, ts: number): void;
  /** The actor's handler threw or rejected. */
  crashed(actor: Actor, err: unknown, msg: Message | undefined): void;
  reportError(actor: Actor, error: ErrorInfo, severity: Severity): void;
}

/** How a supervisor hears about its children (the ActorSystem calls these). */
export interface SupervisorLink {
  readonly name: string;
  childFailed(actor: Actor, failure: Failure): void;
  childExited(actor: Actor, reason: StopReason): void;
  /** Restarts a child on request (the `restart` command); does not count against the budget. */
  restartChild(name: string): Promise<boolean>;
}

/** Lifecycle events of the system, for the API, the panel and the monitor. */
export type SystemEvent =
  | { type: 'spawned'; id: string; name: string; kind: string }
  | { type: 'state'; id: string; name: string; state: Actor['state'] }
  | { type: 'failed'; id: string; name: string; failure: Failure }
  | { type: 'restarted'; id: string; name: string; restarts: number }
  /** A root supervisor gave up: the user must be told. */
  | { type: 'escalated'; supervisor: string; failure: Failure }
  | { type: 'deleted'; id: string; name: string };
