// The MQTT discovery bridge: keeps HA's view of the agents, rules and budget in step with the
// running parts (through the API's services), and carries HA's switch and button commands back
// through the trust rules (trust.ts). Changes come from the live hub's events plus a slow resync
// (costs and error counts move without an event of their own); each sync publishes only what
// changed since the last one, and empties the retained config of what is gone.
import type { Bus, Unsubscribe } from '../../bus/bus.ts';
import { topicFor, underRoot } from '../../bus/topics.ts';
import type { Clock, TimerHandle } from '../../core/clock.ts';
import type { Agent, AgentCommand } from '../../contract/agents.ts';
import type { Budget } from '../../contract/cost.ts';
import type { Rule } from '../../contract/rules.ts';
import type { Logger } from '../../logger.ts';
import { agentEntities, budgetEntities, ruleEntities, type DeviceEntities, type DiscoveryContext } from './entities.ts';
import { birthTopic, commandFilter, configFilter, nodeOfConfigTopic, nodePrefix, parseCommandTopic, rel, slugOf } from './topics.ts';
import { decideAgent, decideRule, type Decision } from './trust.ts';

export interface HaDiscoveryDeps {
  bus: Bus;
  clock: Clock;
  /** HA's discovery prefix. */
  prefix: string;
  /** Whether HA's switches and buttons may act (the `ha_discovery_commands` option). */
  commands: boolean;
  agents: { list(): Promise<Agent[]>; command(name: string, command: AgentCommand): Promise<unknown> };
  rules: { list(): Promise<Rule[]>; setEnabled(id: string, enabled: boolean): Promise<unknown> };
  budget: { get(): Promise<Budget> };
  /** The sensitive entities or domains a rule acts on (a rule with any cannot be enabled from HA). */
  sensitiveOf(ruleId: string): readonly string[];
  /** Calls back when agents, rules or spend may have changed; returns a function that stops. */
  onChange(listener: () => void): () => void;
  /** Calls back on every (re)connection to the broker. */
  onConnected(listener: () => void): () => void;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** The slow resync for what changes without an event (spend, error counts). */
  resyncMs?: number;
}

const RETAINED = { qos: 1, retain: true } as const;

export class HaDiscovery {
  readonly #d: HaDiscoveryDeps;
  readonly #ctx: DiscoveryContext;
  /** What HA was last sent: config topic -> JSON, state topic -> JSON. */
  #configs = new Map<string, string>();
  #states = new Map<string, string>();
  /** Slug -> what HA may command (only what it was shown). */
  #agents = new Map<string, Agent>();
  #rules = new Map<string, Rule>();
  /** Retained configs of ours seen on the broker before the first sync (left by a previous run). */
  #seen = new Set<string>();
  #synced = false;
  #running: Promise<void> | undefined;
  #again: 'no' | 'changed' | 'all' = 'no';
  #offs: (Unsubscribe | (() => void))[] = [];
  #timer: TimerHandle | undefined;

  constructor(deps: HaDiscoveryDeps) {
    this.#d = deps;
    this.#ctx = { prefix: deps.prefix, root: deps.bus.root, availabilityTopic: topicFor(deps.bus.root, 'systemAvailability', {}), commands: deps.commands };
  }

  async start(): Promise<void> {
    const { bus } = this.#d;
    const ours = `${nodePrefix(bus.root)}_`;
    this.#offs.push(
      bus.subscribeRaw(configFilter(this.#d.prefix), (topic, payload) => {
        const node = nodeOfConfigTopic(this.#d.prefix, topic);
        if (node === undefined || !node.startsWith(ours) || payload.length === 0) return;
        if (!this.#synced) this.#seen.add(topic);
        else if (!this.#configs.has(topic)) bus.publishRaw(topic, '', RETAINED);
      }),
      bus.subscribeRaw(birthTopic(this.#d.prefix), (_topic, payload) => {
        if (payload.toString('utf8').trim() === 'online') void this.sync('all');
      }),
      this.#d.onChange(() => void this.sync()),
      this.#d.onConnected(() => bus.publish('systemAvailability', {}, { state: 'online' })),
    );
    if (this.#d.commands) this.#offs.push(bus.subscribeRaw(commandFilter(bus.root), (topic, payload) => void this.#command(topic, payload.toString('utf8').trim())));
    bus.publish('systemAvailability', {}, { state: 'online' });
    this.#timer = this.#d.clock.setInterval(() => void this.sync(), this.#d.resyncMs ?? 60_000);
    await this.sync();
  }

  async stop(): Promise<void> {
    this.#timer?.cancel();
    for (const off of this.#offs.splice(0)) off();
    await this.#running;
    // A graceful stop sends no last will: HA hears it from us.
    this.#d.bus.publish('systemAvailability', {}, { state: 'offline' });
  }

  /** Brings HA up to date; `all` sends every config and state again (HA restarted). Calls made while one runs share a follow-up. */
  sync(what: 'changed' | 'all' = 'changed'): Promise<void> {
    if (this.#running) {
      if (this.#again !== 'all') this.#again = what;
      return this.#running;
    }
    this.#running = this.#syncLoop(what).finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #syncLoop(first: 'changed' | 'all'): Promise<void> {
    let what: 'no' | 'changed' | 'all' = first;
    while (what !== 'no') {
      this.#again = 'no';
      try {
        await this.#syncOnce(what === 'all');
      } catch (err) {
        this.#d.logger.warn({ err }, 'ha discovery sync failed');
      }
      what = this.#again;
    }
  }

  async #syncOnce(force: boolean): Promise<void> {
    const [agents, rules, budget] = await Promise.all([this.#d.agents.list(), this.#d.rules.list(), this.#d.budget.get()]);
    const devices: DeviceEntities[] = [budgetEntities(this.#ctx, budget), ...agents.map((a) => agentEntities(this.#ctx, a)), ...rules.map((r) => ruleEntities(this.#ctx, r))];
    this.#agents = new Map(agents.map((a) => [slugOf(a.name), a]));
    this.#rules = new Map(rules.map((r) => [slugOf(r.id), r]));
    const configs = new Map<string, string>();
    const states = new Map<string, string>();
    for (const d of devices) {
      for (const e of d.entities) configs.set(e.topic, JSON.stringify(e.config));
      states.set(d.stateTopic, JSON.stringify(d.state));
    }
    const { bus } = this.#d;
    // Configs before states, so HA has the entity when its state arrives; removals last.
    for (const [topic, body] of configs) if (force || this.#configs.get(topic) !== body) bus.publishRaw(topic, body, RETAINED);
    for (const [topic, body] of states) if (force || this.#states.get(topic) !== body) bus.publishRaw(topic, body, RETAINED);
    const gone = [...this.#configs.keys(), ...this.#seen].filter((t) => !configs.has(t));
    for (const topic of new Set(gone)) bus.publishRaw(topic, '', RETAINED);
    for (const topic of this.#states.keys()) if (!states.has(topic)) bus.publishRaw(topic, '', RETAINED);
    this.#configs = configs;
    this.#states = states;
    this.#seen.clear();
    this.#synced = true;
  }

  async #command(topic: string, payload: string): Promise<void> {
    const target = parseCommandTopic(this.#d.bus.root, topic);
    if (!target) return;
    let decision: Decision;
    if (target.kind === 'rule') {
      const rule = this.#rules.get(target.slug);
      decision = decideRule(payload, rule && { id: rule.id, enabled: rule.enabled, sensitive: this.#d.sensitiveOf(rule.id) });
    } else {
      decision = decideAgent(target.kind, payload, this.#agents.get(target.slug));
    }
    const log = { topic, payload: payload.slice(0, 20) };
    if (!decision.ok) {
      this.#d.logger.warn({ ...log, reason: decision.reason }, 'ha discovery command refused');
      // The true state again, for a client that showed the switch flipped before hearing back.
      const stateTopic = underRoot(this.#d.bus.root, target.kind === 'rule' ? rel.ruleState(target.slug) : rel.agentState(target.slug));
      const body = this.#states.get(stateTopic);
      if (body !== undefined) this.#d.bus.publishRaw(stateTopic, body, RETAINED);
      return;
    }
    const a = decision.action;
    try {
      if (a.kind === 'rule') await this.#d.rules.setEnabled(a.id, a.enabled);
      else await this.#d.agents.command(a.name, a.command);
      this.#d.logger.info({ ...log, action: a }, 'ha discovery command done');
    } catch (err) {
      this.#d.logger.warn({ ...log, action: a, err: err instanceof Error ? err.message : String(err) }, 'ha discovery command failed');
    }
    await this.sync();
  }
}

/** The availability topic and the will that sets it offline, for the connection (runtime.ts). */
export function availabilityWill(root: string): { topic: string; payload: string; qos: 1; retain: true } {
  return { topic: topicFor(root, 'systemAvailability', {}), payload: JSON.stringify({ state: 'offline' }), qos: 1, retain: true };
}
