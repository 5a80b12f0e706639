// A supervisor's children in start order: the spec of each (factory, restart type), its current
// incarnation, how often it was restarted, and whether the user holds it stopped. Starting goes
// through ActorSystem.spawn (registry, lifecycle); a start that throws comes back as a Failure
// for the supervisor's strategy to handle.
import type { Actor } from './actor.ts';
import type { SupervisorLink } from './kernel.ts';
import { isTerminal } from './lifecycle.ts';
import { failure as makeFailure, toErrorInfo, type Failure } from './messages.ts';
import type { StopReason } from './lifecycle.ts';
import type { Supervisor } from './supervisor.ts';
import type { ActorSystem } from './system.ts';

export type RestartType = 'permanent' | 'transient' | 'temporary';

export interface ChildSpec {
  /** The actor's name (unique in the system). */
  name: string;
  /** Builds a fresh instance: called at start and at every restart. */
  factory: () => Actor;
  /** Default permanent. */
  restart?: RestartType;
}

interface ChildBase {
  readonly name: string;
  readonly restart: RestartType;
  restarts: number;
  /** Stopped by the user: never restarted by the strategy (the `restart` command clears it). */
  held: boolean;
}

export type Child =
  | (ChildBase & { readonly kind: 'actor'; readonly factory: () => Actor; actor: Actor | undefined; id: string | undefined })
  | (ChildBase & { readonly kind: 'supervisor'; readonly sup: Supervisor });

export interface ChildInfo {
  name: string;
  kind: Child['kind'];
  restart: RestartType;
  restarts: number;
  state: string;
  id?: string;
}

export class ChildSet {
  #list: Child[] = [];
  #system: ActorSystem;
  #owner: SupervisorLink;

  constructor(system: ActorSystem, owner: SupervisorLink) {
    this.#system = system;
    this.#owner = owner;
  }

  addActor(spec: ChildSpec): Child {
    this.#checkFree(spec.name);
    const child: Child = { kind: 'actor', name: spec.name, restart: spec.restart ?? 'permanent', factory: spec.factory, actor: undefined, id: undefined, restarts: 0, held: false };
    this.#list.push(child);
    return child;
  }

  addSupervisor(sup: Supervisor, restart: RestartType = 'permanent'): Child {
    this.#checkFree(sup.name);
    const child: Child = { kind: 'supervisor', name: sup.name, restart, sup, restarts: 0, held: false };
    this.#list.push(child);
    return child;
  }

  list(): Child[] {
    return [...this.#list];
  }

  find(name: string): Child | undefined {
    return this.#list.find((c) => c.name === name);
  }

  ofActor(actor: Actor): Child | undefined {
    return this.#list.find((c) => c.kind === 'actor' && c.actor === actor);
  }

  ofSupervisor(sup: Supervisor): Child | undefined {
    return this.#list.find((c) => c.kind === 'supervisor' && c.sup === sup);
  }

  remove(child: Child): void {
    this.#list = this.#list.filter((c) => c !== child);
  }

  isLive(c: Child): boolean {
    return c.kind === 'actor' ? c.actor !== undefined && !isTerminal(c.actor.status) : c.sup.state === 'running';
  }

  /** Whether a sibling may be taken down and restarted with a failed child (never a paused one). */
  isRestartable(c: Child): boolean {
    return c.kind === 'supervisor' || c.actor?.state !== 'paused';
  }

  /** Starts (or restarts) a child; returns the failure when it does not come up. */
  async start(c: Child, isRestart: boolean): Promise<Failure | undefined> {
    if (isRestart) c.restarts++;
    if (c.kind === 'supervisor') {
      await c.sup.start();
      if (isRestart) this.#system._emit({ type: 'restarted', id: c.name, name: c.name, restarts: c.restarts });
      return undefined;
    }
    let actor: Actor;
    try {
      actor = c.factory();
    } catch (err) {
      return makeFailure(c.id ?? c.name, c.name, 'start_failed', toErrorInfo(err, 'factory'), this.#system.clock.now());
    }
    c.actor = actor;
    try {
      await this.#system.spawn(actor, { supervisor: this.#owner, id: c.id, restarts: c.restarts });
    } catch (err) {
      c.id ??= actor.id;
      const s = actor.status;
      return s.state === 'failed' ? s.failure : makeFailure(actor.id, c.name, 'start_failed', toErrorInfo(err, 'start'), this.#system.clock.now());
    }
    c.id = actor.id;
    if (isRestart) this.#system._emit({ type: 'restarted', id: actor.id, name: c.name, restarts: c.restarts });
    return undefined;
  }

  /** Stops the given children in reverse order, awaiting each. */
  async stopAll(children: readonly Child[], reason: StopReason): Promise<void> {
    for (const c of [...children].reverse()) {
      if (c.kind === 'supervisor') await c.sup.stop(reason);
      else if (c.actor && !isTerminal(c.actor.status)) await this.#system.stopActor(c.actor.id, reason);
    }
  }

  info(): ChildInfo[] {
    return this.#list.map((c) =>
      c.kind === 'actor'
        ? { name: c.name, kind: c.kind, restart: c.restart, restarts: c.restarts, state: c.actor?.state ?? 'created', id: c.id }
        : { name: c.name, kind: c.kind, restart: c.restart, restarts: c.restarts, state: c.sup.state },
    );
  }

  #checkFree(name: string): void {
    if (this.find(name)) throw new Error(`This supervisor already has a child named ${name}`);
  }
}
