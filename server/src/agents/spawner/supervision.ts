// Supervision of spawned agents: one OTP supervisor per agent, owned by the spawner and outside the
// root tree, so that one agent crash-looping exhausts its own restart budget and gives up alone
// instead of taking every other agent down with it (a shared supervisor escalates on the sum of
// all its children's restarts).
//
// Policy: the child is `transient` (restarted after a failure, not after a normal stop), at most
// `maxRestarts` within `periodMs`, then the supervisor gives up and the agent stays failed. A start
// that fails is final: the factory refuses to build a successor for an incarnation whose start
// failed, so broken code (or a setup that cannot work) is never restarted in a loop, and the very
// first start of a spawn is never retried at all (the spawner reports the error instead).
import type { Actor } from '../../core/actor.ts';
import { ActorError } from '../../core/lifecycle.ts';
import type { Failure } from '../../core/messages.ts';
import { Supervisor } from '../../core/supervisor.ts';
import type { ActorSystem } from '../../core/system.ts';

export interface SupervisionOptions {
  maxRestarts?: number;
  periodMs?: number;
  /** An agent's supervisor gave up after a runtime crash loop (not called for failed spawns). */
  onGiveUp?: (name: string, failure: Failure) => void;
}

export class AgentSupervision {
  readonly #system: ActorSystem;
  readonly #o: SupervisionOptions;
  readonly #sups = new Map<string, Supervisor>();

  constructor(system: ActorSystem, options: SupervisionOptions = {}) {
    this.#system = system;
    this.#o = options;
  }

  /**
   * Starts `build()` under a fresh supervisor. Resolves with the running actor; rejects when it
   * does not come up (the failed actor stays registered as failed, for the caller to discard).
   */
  async start<A extends Actor>(name: string, build: () => A): Promise<A> {
    let initial = true;
    let previous: Actor | undefined;
    const sup = new Supervisor(this.#system, {
      name: `agent:${name}`,
      strategy: 'one_for_one',
      maxRestarts: this.#o.maxRestarts ?? 3,
      periodMs: this.#o.periodMs ?? 60_000,
      onEscalate: (f) => {
        if (!initial) this.#o.onGiveUp?.(name, f);
      },
    });
    const factory = (): A => {
      const p = previous?.status;
      if (p?.state === 'failed' && p.failure.reason === 'start_failed') {
        throw new ActorError('not_restarted', `${name} is not restarted: it failed to start (${p.failure.error.message})`);
      }
      const actor = build();
      previous = actor;
      return actor;
    };
    await sup.start();
    const actor = await sup.supervise({ name, factory, restart: 'transient' });
    initial = false;
    if (!actor || actor.state !== 'running') {
      await sup.stop('supervisor');
      const s = actor?.status;
      throw new Error(s?.state === 'failed' ? s.failure.error.message : `${name} did not start (${s?.state ?? 'never built'})`);
    }
    this.#sups.get(name)?.stop('supervisor').catch(() => undefined);
    this.#sups.set(name, sup);
    return actor as A;
  }

  /** Stops the agent for a replacement (its state is kept; nothing restarts it). */
  async stop(name: string): Promise<void> {
    const sup = this.#sups.get(name);
    this.#sups.delete(name);
    await this.#system.stopActor(name, 'stopped');
    await sup?.stop('supervisor');
  }

  /** Forgets the agent's supervisor (after the actor was deleted). */
  forget(name: string): void {
    const sup = this.#sups.get(name);
    this.#sups.delete(name);
    void sup?.stop('supervisor');
  }

  has(name: string): boolean {
    return this.#sups.has(name);
  }

  /** Stops every supervised agent, last started first. */
  async stopAll(): Promise<void> {
    for (const [name, sup] of [...this.#sups].reverse()) {
      this.#sups.delete(name);
      await sup.stop('shutdown');
    }
  }
}
