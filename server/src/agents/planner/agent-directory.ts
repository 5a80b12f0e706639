// The AgentDirectory over the actor system and the spawn registry: worker agents are the ones
// the spawner manages (LLM-, user-, catalog- and planner-spawned); infrastructure actors (main,
// the monitor, HA agents, planner jobs) are not offered to plans.
import type { ActorSystem } from '../../core/system.ts';
import type { AgentDirectory, LiveState, SpawnPort, WorkerAgentInfo } from './ports.ts';

export class SystemAgentDirectory implements AgentDirectory {
  readonly #system: ActorSystem;
  readonly #spawner: Pick<SpawnPort, 'list'>;

  constructor(system: ActorSystem, spawner: Pick<SpawnPort, 'list'>) {
    this.#system = system;
    this.#spawner = spawner;
  }

  list(): WorkerAgentInfo[] {
    return this.#spawner
      .list()
      .filter((a) => a.node !== undefined || this.isRunning(a.name))
      .map((a) => ({ name: a.name, type: a.type, description: a.description ?? '', capabilities: [] }));
  }

  isRunning(name: string): boolean {
    return this.#system.get(name)?.state === 'running';
  }

  state(name: string): LiveState {
    return this.#system.get(name)?.state ?? 'missing';
  }

  stop(name: string): Promise<boolean> {
    return this.#system.stopActor(name);
  }

  nameOf(id: string): string | undefined {
    return this.#system.get(id)?.name;
  }
}
