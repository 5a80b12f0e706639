// Supervision with Erlang/OTP semantics (see OTP design principles, "Supervisor Behaviour"):
// - strategy: one_for_one restarts the failed child; one_for_all restarts every child;
//   rest_for_one restarts the failed child and those started after it;
// - restart type: permanent (always restarted), transient (only after a failure), temporary
//   (never; removed when it ends);
// - intensity: more than maxRestarts within periodMs and the supervisor gives up: it stops its
//   children and escalates to its parent (the root reports to the user through onEscalate);
// - children start in order and stop in reverse; restarts build a fresh instance from the
//   child's factory, keeping its id and name.
// Unlike OTP, an actor the user stopped or paused is never restarted, not even as a sibling.
import type { Actor } from './actor.ts';
import type { SupervisorLink } from './kernel.ts';
import { failure as makeFailure, type Failure } from './messages.ts';
import type { StopReason } from './lifecycle.ts';
import { ChildSet, type Child, type ChildInfo, type ChildSpec, type RestartType } from './children.ts';
import type { ActorSystem } from './system.ts';

export type Strategy = 'one_for_one' | 'one_for_all' | 'rest_for_one';
export type { ChildSpec, ChildInfo, RestartType };

export interface SupervisorOptions {
  name: string;
  strategy?: Strategy;
  /** Restarts allowed within periodMs before giving up (default 3). */
  maxRestarts?: number;
  periodMs?: number;
  /** Delay before a restart (default 0), multiplied by backoffFactor for each recent restart. */
  restartDelayMs?: number;
  backoffFactor?: number;
  maxRestartDelayMs?: number;
  /** Root only: the supervisor gave up and has nobody to escalate to. */
  onEscalate?: (failure: Failure) => void;
}

type SupState = 'idle' | 'running' | 'stopping' | 'failed';

export class Supervisor implements SupervisorLink {
  readonly name: string;
  readonly strategy: Strategy;
  readonly maxRestarts: number;
  readonly periodMs: number;
  #opts: SupervisorOptions;
  #system: ActorSystem;
  #parent: Supervisor | undefined;
  #children: ChildSet;
  #state: SupState = 'idle';
  #restartTimes: number[] = [];
  #queue: Promise<unknown> = Promise.resolve();
  #wake: (() => void) | undefined;

  constructor(system: ActorSystem, opts: SupervisorOptions, parent?: Supervisor) {
    this.#system = system;
    this.#opts = opts;
    this.#parent = parent;
    this.name = opts.name;
    this.strategy = opts.strategy ?? 'one_for_one';
    this.maxRestarts = opts.maxRestarts ?? 3;
    this.periodMs = opts.periodMs ?? 60_000;
    this.#children = new ChildSet(system, this);
  }

  get state(): SupState {
    return this.#state;
  }

  /** Adds a child; when this supervisor runs, starts it and returns the started actor. */
  supervise(spec: ChildSpec): Promise<Actor | undefined> {
    const child = this.#children.addActor(spec);
    if (this.#state !== 'running') return Promise.resolve(undefined);
    return this.#serial(async () => {
      const f = await this.#children.start(child, false);
      if (f) await this.#handle(child, f, true);
      return child.kind === 'actor' ? child.actor : undefined;
    });
  }

  /** Adds a nested supervisor (started now if this one runs). */
  addSupervisor(opts: SupervisorOptions & { restart?: RestartType }): Supervisor {
    const sup = new Supervisor(this.#system, opts, this);
    const child = this.#children.addSupervisor(sup, opts.restart);
    if (this.#state === 'running') void this.#serial(() => this.#children.start(child, false));
    return sup;
  }

  /** The current actor of a child, by name. */
  get(name: string): Actor | undefined {
    const c = this.#children.find(name);
    return c?.kind === 'actor' ? c.actor : undefined;
  }

  children(): ChildInfo[] {
    return this.#children.info();
  }

  /** Starts the children in order. A child that fails to start is handled like any failure. */
  start(): Promise<void> {
    if (this.#state === 'running') return Promise.resolve();
    this.#state = 'running';
    this.#restartTimes = [];
    return this.#serial(async () => {
      for (const child of this.#children.list()) {
        if (this.#state !== 'running') return;
        if (this.#children.isLive(child) || child.held) continue;
        const f = await this.#children.start(child, false);
        if (f) await this.#handle(child, f, true);
      }
    });
  }

  /** Stops the children in reverse start order, awaiting each. */
  async stop(reason: StopReason = 'shutdown'): Promise<void> {
    if (this.#state === 'idle') return;
    this.#state = 'stopping';
    this.#wake?.();
    await this.#serial(() => this.#children.stopAll(this.#children.list(), reason));
    this.#state = 'idle';
  }

  childFailed(actor: Actor, f: Failure): void {
    void this.#serial(async () => {
      const child = this.#children.ofActor(actor);
      if (child) await this.#handle(child, f, true);
    });
  }

  childExited(actor: Actor, reason: StopReason): void {
    const child = this.#children.ofActor(actor);
    if (!child) return;
    switch (reason) {
      case 'stopped':
        child.held = true;
        return;
      case 'deleted':
        this.#children.remove(child);
        return;
      case 'normal':
        void this.#serial(() => this.#handle(child, makeFailure(actor.id, actor.name, 'crash', { message: 'exited normally' }, this.#now()), false));
        return;
      case 'shutdown':
      case 'supervisor':
        return;
    }
  }

  restartChild(name: string): Promise<boolean> {
    return this.#serial(async () => {
      const child = this.#children.find(name);
      if (!child || this.#state !== 'running') return false;
      await this.#children.stopAll([child], 'supervisor');
      child.held = false;
      return (await this.#children.start(child, true)) === undefined;
    });
  }

  /** Called by a nested supervisor that gave up. */
  #childSupervisorFailed(sup: Supervisor, f: Failure): void {
    void this.#serial(async () => {
      const child = this.#children.ofSupervisor(sup);
      if (child) await this.#handle(child, f, true);
    });
  }

  async #handle(child: Child, f: Failure, abnormal: boolean): Promise<void> {
    if (this.#state !== 'running') return;
    if (!restartWanted(child.restart, abnormal)) {
      if (child.restart === 'temporary') this.#children.remove(child);
      return;
    }
    const now = this.#now();
    this.#restartTimes = this.#restartTimes.filter((t) => now - t < this.periodMs);
    if (this.#restartTimes.length >= this.maxRestarts) {
      await this.#escalate(f);
      return;
    }
    this.#restartTimes.push(now);
    const set = this.#restartSet(child);
    const siblings = set.filter((c) => c !== child);
    await this.#children.stopAll(siblings, 'supervisor');
    for (const c of siblings) if (c.restart === 'temporary') this.#children.remove(c);
    await this.#sleep(this.#delay());
    for (const c of set) {
      if (this.#state !== 'running') return;
      if (c.held || c.restart === 'temporary' || this.#children.isLive(c)) continue;
      const again = await this.#children.start(c, true);
      if (again) {
        await this.#handle(c, again, true);
        return;
      }
    }
  }

  /** The children a failure takes down with it, in start order (never user-held ones). */
  #restartSet(failed: Child): Child[] {
    const all = this.#children.list();
    const eligible = (c: Child) => c === failed || (!c.held && this.#children.isRestartable(c));
    switch (this.strategy) {
      case 'one_for_one':
        return [failed];
      case 'one_for_all':
        return all.filter(eligible);
      case 'rest_for_one':
        return all.slice(all.indexOf(failed)).filter(eligible);
    }
  }

  async #escalate(last: Failure): Promise<void> {
    this.#state = 'failed';
    await this.#children.stopAll(this.#children.list(), 'supervisor');
    const message = `supervisor ${this.name} gave up after ${this.maxRestarts} restarts within ${this.periodMs} ms; last failure: ${last.name}: ${last.error.message}`;
    const f = makeFailure(this.name, this.name, 'escalated', { message, phase: 'supervise', severity: 'fatal' }, this.#now());
    if (this.#parent) this.#parent.#childSupervisorFailed(this, f);
    else this.#opts.onEscalate?.(f);
  }

  #delay(): number {
    const base = this.#opts.restartDelayMs ?? 0;
    if (base <= 0) return 0;
    const factor = this.#opts.backoffFactor ?? 2;
    const n = Math.max(0, this.#restartTimes.length - 1);
    return Math.min(this.#opts.maxRestartDelayMs ?? 30_000, base * factor ** n);
  }

  #sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const t = this.#system.clock.setTimeout(() => {
        this.#wake = undefined;
        resolve();
      }, ms);
      // stop() must not wait out a long backoff.
      this.#wake = () => {
        t.cancel();
        this.#wake = undefined;
        resolve();
      };
    });
  }

  #now(): number {
    return this.#system.clock.now();
  }

  /** Runs supervision work one piece at a time, so two failures never restart the same child twice. */
  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch((err: unknown) => this.#system.logger.error({ err, supervisor: this.name }, 'supervision step threw'));
    return next;
  }
}

function restartWanted(type: RestartType, abnormal: boolean): boolean {
  switch (type) {
    case 'permanent':
      return true;
    case 'transient':
      return abnormal;
    case 'temporary':
      return false;
  }
}
