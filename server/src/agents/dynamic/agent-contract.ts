// An agent's TopicContract and its retained manifest. The spawn config's publishes/subscribes are
// registered at start (the planner sees the wiring before any traffic), agent.declareContract adds
// to them, and every real publish is folded into the observed samples. The manifest on
// agents/{id}/manifest is re-published when what others rely on changes (the contract, a new
// topic, a new field), not on every publish: it is retained and chatty agents publish a lot.
import type { Bus } from '../../bus/bus.ts';
import { normalizeContract, TopicContract } from '../../bus/topic-bus/contract.ts';
import { buildManifest } from '../../bus/topic-bus/manifest.ts';
import type { TopicBus } from '../../bus/topic-bus/topic-bus.ts';
import type { Clock } from '../../core/clock.ts';
import type { AgentIdentity } from './agent-topics.ts';

export interface AgentContractOptions {
  self: AgentIdentity;
  type: string;
  base: TopicContract;
  topicBus: TopicBus | undefined;
  bus: Bus | undefined;
  clock: Clock;
}

export class AgentContract {
  readonly #o: AgentContractOptions;

  constructor(options: AgentContractOptions) {
    this.#o = options;
  }

  /** Registers the spawn config's contract and publishes the manifest. */
  start(): void {
    const current = this.#o.topicBus?.registry.get(this.#o.self.name);
    // A restart keeps what the previous incarnation declared; the spawn config is the floor.
    this.#register(current ? merge(this.#o.base, current) : this.#o.base);
  }

  /** agent.declareContract: loose input, merged over the spawn config. Returns the warnings. */
  declare(input: unknown): string[] {
    const { contract, warnings } = normalizeContract(this.#o.self.name, input);
    this.#register(merge(this.#o.base, contract));
    return warnings;
  }

  /** A real publish (root-relative topic): the observed sample, and the manifest when its shape is new. */
  observed(topic: string, payload: unknown): void {
    const tb = this.#o.topicBus;
    if (!tb) return;
    const before = shape(tb.registry.get(this.#o.self.name), topic);
    tb.observe(topic, payload, { publisher: this.#o.self.name });
    if (shape(tb.registry.get(this.#o.self.name), topic) !== before) this.publishManifest();
  }

  publishManifest(): void {
    const contract = this.#o.topicBus?.registry.get(this.#o.self.name) ?? this.#o.base;
    this.#o.bus?.publish('agentManifest', { id: this.#o.self.id }, buildManifest(contract, this.#o.clock.now(), { id: this.#o.self.id, type: this.#o.type }));
  }

  #register(contract: TopicContract): void {
    this.#o.topicBus?.registry.register(contract);
    this.publishManifest();
  }
}

function merge(base: TopicContract, extra: TopicContract): TopicContract {
  const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];
  return TopicContract.parse({
    ...base,
    ...extra,
    description: extra.description || base.description,
    publishes: union(base.publishes, extra.publishes),
    subscribes: union(base.subscribes, extra.subscribes),
    triggers: union(base.triggers, extra.triggers),
    produces_schema: extra.produces_schema ?? base.produces_schema,
    consumes_schema: extra.consumes_schema ?? base.consumes_schema,
    observed_samples: { ...base.observed_samples, ...extra.observed_samples },
    declared: true,
  });
}

function shape(contract: TopicContract | undefined, topic: string): string {
  const sample = contract?.observed_samples[topic];
  return sample ? `${sample.type}|${Object.entries(sample.fields).map(([k, v]) => `${k}:${v}`).sort().join(',')}` : '';
}
