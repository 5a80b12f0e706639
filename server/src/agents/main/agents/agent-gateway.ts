// Sending a message straight to a named agent, for `@agent-name message` and <delegate> blocks:
// a running local actor is asked directly; an agent registered on another node gets the task over
// agents/by-name/{name}/task; a catalog recipe is spawned first; anything else is an unknown name
// answered with the close names main does know.
import type { Bus } from '../../../bus/bus.ts';
import type { Clock } from '../../../core/clock.ts';
import { isTerminal } from '../../../core/lifecycle.ts';
import type { ActorSystem } from '../../../core/system.ts';
import { isTaskFailed } from '../../dynamic/agent-task.ts';
import type { Via } from '../../../core/messages.ts';
import type { AgentSpawner, SpawnOrigin } from '../../spawner/agent-spawner.ts';
import type { Catalog, NodesSource } from '../parts.ts';
import { closeNames } from '../routing/close-names.ts';
import { sendRemoteTask } from './remote-task.ts';

export const DEFAULT_AGENT_TIMEOUT_MS = 60_000;

export type DeliveryResult =
  | { ok: true; agent: string; result: unknown; via: 'local' | 'remote'; spawned?: { recipe: string; warnings: string[] } }
  | { ok: false; agent: string; error: string; suggestions: string[]; code: 'unknown' | 'not_running' | 'failed' };

export interface AgentGatewayDeps {
  system: ActorSystem;
  bus: Bus | undefined;
  clock: Clock;
  spawner: AgentSpawner | undefined;
  catalog: Catalog;
  nodes: NodesSource;
  timeoutMs?: number;
}

export class AgentGateway {
  readonly #deps: AgentGatewayDeps;

  constructor(deps: AgentGatewayDeps) {
    this.#deps = deps;
  }

  /** Every name main could route to: actors, the spawn registry, remote nodes' agents, recipes. */
  async knownNames(): Promise<string[]> {
    const names = new Set<string>(this.#deps.system.list().map((a) => a.name));
    for (const a of this.#deps.spawner?.list() ?? []) names.add(a.name);
    for (const r of this.#deps.catalog.recipes()) names.add(r.name);
    for (const n of await this.#remoteNodes()) for (const a of n.agents) names.add(a);
    return [...names];
  }

  /**
   * Delivers a task. `via` marks a turn without the owner's privileges (trust.ts): system actors
   * refuse it and no catalog recipe is spawned for it.
   */
  async deliver(name: string, payload: unknown, options: { signal?: AbortSignal; origin: SpawnOrigin; from?: string; via?: Via }): Promise<DeliveryResult> {
    const { system } = this.#deps;
    const actor = system.get(name);
    if (actor && !isTerminal(actor.status)) return this.#local(name, payload, options.from, options.via);
    // Moved to a node, it leaves its stopped local entry behind: the spawn registry knows where it runs.
    if (this.#deps.spawner?.list().find((a) => a.name === name)?.node !== undefined) return this.#remote(name, payload, options);
    if (actor) {
      return { ok: false, agent: name, code: 'not_running', suggestions: [], error: `${name} is ${actor.state}. Start it again with /agents restart ${name}.` };
    }

    const remoteNode = await this.#remoteNodeOf(name);
    if (remoteNode !== undefined) return this.#remote(name, payload, options);

    const recipe = this.#deps.catalog.recipes().find((r) => r.name === name);
    if (recipe && options.via !== undefined) {
      return { ok: false, agent: name, code: 'failed', suggestions: [], error: `${name} is not running, and a catalog recipe is only spawned for the owner (panel, Assist or CLI), not for ${options.via === 'mqtt' ? 'the MQTT broker' : 'an agent'}.` };
    }
    if (recipe) {
      try {
        const outcome = await this.#deps.catalog.spawn(name, { by: 'catalog', recipe: name });
        const delivered = outcome.node !== undefined ? await this.#remote(outcome.name, payload, options) : await this.#local(outcome.name, payload, options.from, options.via);
        return delivered.ok ? { ...delivered, spawned: { recipe: name, warnings: outcome.warnings } } : delivered;
      } catch (err) {
        return { ok: false, agent: name, code: 'failed', suggestions: [], error: `The ${name} recipe could not be spawned: ${messageOf(err)}` };
      }
    }

    const suggestions = closeNames(name, await this.knownNames());
    const hint = suggestions.length ? ` Did you mean ${suggestions.map((s) => `@${s}`).join(', ')}?` : ' /agents lists the running agents.';
    return { ok: false, agent: name, code: 'unknown', suggestions, error: `There is no agent named ${name}.${hint}` };
  }

  async #local(name: string, payload: unknown, from: string | undefined, via: Via | undefined): Promise<DeliveryResult> {
    try {
      const result = await this.#deps.system.ask(name, payload, { timeoutMs: this.#deps.timeoutMs ?? DEFAULT_AGENT_TIMEOUT_MS, ...(from ? { from } : {}), ...(via ? { via } : {}) });
      // A spawned agent that refuses a task answers with TaskFailed rather than failing.
      if (isTaskFailed(result)) return { ok: false, agent: name, code: 'failed', suggestions: [], error: `${name} could not do that: ${result.error}` };
      return { ok: true, agent: name, result, via: 'local' };
    } catch (err) {
      return { ok: false, agent: name, code: 'failed', suggestions: [], error: `${name} could not answer: ${messageOf(err)}` };
    }
  }

  async #remote(name: string, payload: unknown, options: { signal?: AbortSignal }): Promise<DeliveryResult> {
    const bus = this.#deps.bus;
    if (!bus) return { ok: false, agent: name, code: 'failed', suggestions: [], error: `${name} runs on another node, and there is no MQTT connection to reach it.` };
    try {
      const result = await sendRemoteTask(name, payload, {
        bus,
        clock: this.#deps.clock,
        timeoutMs: this.#deps.timeoutMs ?? DEFAULT_AGENT_TIMEOUT_MS,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return { ok: true, agent: name, result, via: 'remote' };
    } catch (err) {
      return { ok: false, agent: name, code: 'failed', suggestions: [], error: messageOf(err) };
    }
  }

  async #remoteNodeOf(name: string): Promise<string | undefined> {
    const registered = this.#deps.spawner?.list().find((a) => a.name === name);
    if (registered?.node !== undefined) return registered.node;
    for (const n of await this.#remoteNodes()) if (n.agents.includes(name)) return n.name;
    return undefined;
  }

  async #remoteNodes() {
    try {
      return await this.#deps.nodes.list();
    } catch {
      // A broken node registry must not make local agents unreachable.
      return [];
    }
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** What the agent answered, as chat text. */
export function formatAgentResult(result: unknown): string {
  if (result === undefined || result === null) return '(no answer)';
  if (typeof result === 'string') return result;
  if (typeof result === 'object' && 'text' in result && typeof result.text === 'string' && Object.keys(result).length <= 2) return result.text;
  const json = JSON.stringify(result, null, 2);
  const clipped = json.length > 4000 ? `${json.slice(0, 4000)}\n…` : json;
  return `\`\`\`json\n${clipped}\n\`\`\``;
}
