// Starting a spawned HA agent, all or nothing. With the spawner's AgentSupervision (one supervisor
// per agent, its restart budget, its give-up policy) the HA kinds are supervised exactly like
// dynamic agents; without it (a system assembled by hand), under a given supervisor, removing an
// agent that does not reach `running` so a refused spawn leaves no half-started child behind.
import type { Actor } from '../../core/actor.ts';
import { isTerminal } from '../../core/lifecycle.ts';
import type { Supervisor } from '../../core/supervisor.ts';
import type { ActorSystem } from '../../core/system.ts';
import { SpawnError } from '../spawner/agent-spawner.ts';
import type { AgentSupervision } from '../spawner/supervision.ts';

export interface SpawnHost {
  system: ActorSystem;
  /** The spawner's per-agent supervision (preferred). */
  supervision?: AgentSupervision;
  /** Where spawned agents live (the spawner's agents supervisor); the root when not given. */
  supervisor?: Supervisor;
}

/**
 * Makes the name available: an ended incarnation (stopped by the user, retired) is removed from
 * the registry and its supervisor, keeping its persisted state (fire times, confirmation), which
 * the new incarnation checks against its own config. A running agent of that name is an error:
 * replacing one is the spawner's decision, not the factory's.
 */
export async function freeName(host: SpawnHost, name: string): Promise<void> {
  // AgentSupervision gives each incarnation its own supervisor: nothing to free there.
  if (host.supervision) return;
  const existing = host.system.get(name);
  if (!existing) return;
  if (!isTerminal(existing.status)) throw new SpawnError(`An agent named ${name} is already running; stop it first or spawn with replace.`, 'name');
  const store = host.system.store;
  const saved = store.keys(name).map((key) => [key, store.get(name, key)] as const);
  await host.system.deleteActor(name);
  for (const [key, value] of saved) store.set(name, key, value);
}

export async function startSupervised(host: SpawnHost, name: string, make: () => Actor): Promise<Actor> {
  if (host.supervision) {
    try {
      return await host.supervision.start(name, make);
    } catch (err) {
      throw new SpawnError(`${name} could not start: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const supervisor = host.supervisor ?? host.system.supervisor;
  // transient: restarted after a crash, not after it retires itself (a `once` that has fired).
  const actor = await supervisor.supervise({ name, factory: make, restart: 'transient' });
  if (actor?.state === 'running') return actor;
  const status = actor?.status;
  const why = status?.state === 'failed' ? status.failure.error.message : 'its supervisor is not running';
  await host.system.deleteActor(name);
  throw new SpawnError(`${name} could not start: ${why}`);
}
