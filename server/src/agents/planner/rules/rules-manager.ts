// The rules: list with each agent's live state, delete (stop and forget every agent, then the
// rule), disable/enable without deleting (agents stopped but kept in the spawn registry; started
// again from the rule's configs), and last fired. Rules live in SQLite; their agents are restored
// at start by the spawner, after which start() stops the agents of disabled rules again.
import type { Bus } from '../../../bus/bus.ts';
import type { Clock } from '../../../core/clock.ts';
import type { ActorSystem } from '../../../core/system.ts';
import type { HassEntity } from '../../../ha/client.ts';
import type { StateBridgeScope } from '../../ha/state-bridge.ts';
import type { AgentDirectory, RulesPort, SpawnPort } from '../ports.ts';
import { bridgeWarnings } from './bridge-warnings.ts';
import { formatRules } from './rule-format.ts';
import { RuleActivity } from './rule-activity.ts';
import type { RuleStore } from './rule-store.ts';
import { ruleStatus, type Rule, type RuleView } from './rule.ts';
import { republishStates, watchedEntities } from './republish.ts';
import type { RuleTraceRecorder } from '../traces/recorder.ts';
import { traceReport, type TraceReportDeps } from '../traces/report.ts';
import type { StoredTrace, TraceQuery } from '../traces/trace-store.ts';
import { parseTraceTime } from '../traces/when.ts';
import type { RuleVersionStore } from './version-store.ts';

export interface RulesManagerOptions {
  store: RuleStore;
  spawner: SpawnPort;
  agents: AgentDirectory;
  clock: Clock;
  bus?: Bus | undefined;
  /** To ask the HA state bridge to re-publish current states. */
  system?: Pick<ActorSystem, 'get' | 'ask'> | undefined;
  stateOf?: (entityId: string) => HassEntity | undefined;
  /** HA's time zone, for times in /rules. */
  timezone?: () => string | undefined;
  /** The rules' evaluation traces; forgotten with their rule. */
  traces?: RuleTraceRecorder | undefined;
  /** What the state bridge saw, for a trace report with no evaluation (HA history). */
  ha?: TraceReportDeps['ha'];
  /** The rules' versions; forgotten with their rule. */
  versions?: Pick<RuleVersionStore, 'forget'> | undefined;
  /** LLM spend per rule id (the ledger's rule column); absent: every rule costs 0. */
  costs?: () => ReadonlyMap<string, { totalUsd: number; todayUsd: number }>;
  /** What the HA state bridge publishes now, to flag rules approved before it was narrowed. */
  stateBridge?: StateBridgeScope | undefined;
}

const NO_COST = { totalUsd: 0, todayUsd: 0 };

export class RulesManager implements RulesPort {
  readonly #o: RulesManagerOptions;
  readonly #activity: RuleActivity | undefined;
  #byAgent = new Map<string, string>();

  constructor(options: RulesManagerOptions) {
    this.#o = options;
    this.#activity = options.bus
      ? new RuleActivity({
          bus: options.bus,
          clock: options.clock,
          ruleOfAgent: (name) => this.#byAgent.get(name),
          nameOfId: (id) => this.#o.agents.nameOf?.(id),
          onFire: (ruleId, at) => this.#o.store.recordFire(ruleId, at),
        })
      : undefined;
  }

  /** Call after the spawner restored the registry: disabled rules' agents are stopped again. */
  async start(): Promise<void> {
    this.#reindex();
    this.#activity?.start();
    for (const rule of this.#o.store.list()) {
      if (rule.enabled) continue;
      for (const a of rule.agents) await this.#o.agents.stop(a.config.name);
    }
  }

  stop(): void {
    this.#activity?.stop();
  }

  list(): RuleView[] {
    const costs = this.#o.costs?.();
    return this.#o.store.list().map((r) => this.#view(r, costs));
  }

  get(id: string): RuleView | undefined {
    const r = this.#o.store.get(id);
    return r ? this.#view(r, this.#o.costs?.()) : undefined;
  }

  /** A freshly deployed rule: saved (durable), indexed, its watched states re-published. */
  async add(rule: Rule): Promise<{ rule: RuleView; warning: string | undefined }> {
    this.#o.store.insert(rule);
    this.#reindex();
    const warning = await this.#republish(rule);
    return { rule: this.#view(rule, undefined), warning };
  }

  async delete(id: string): Promise<boolean> {
    const rule = this.#o.store.get(id);
    if (!rule) return false;
    // Agents first: a rule row without agents is harmless, agents without their rule are orphans.
    for (const a of rule.agents) await this.#o.spawner.delete(a.config.name);
    this.#o.store.delete(id);
    this.#o.traces?.forget(id);
    this.#o.versions?.forget(id);
    this.#reindex();
    return true;
  }

  /** A rule whose agents were swapped for a new version (rule-editor.ts): re-indexed, its watched states re-published. */
  async refresh(rule: Rule): Promise<{ rule: RuleView; warning: string | undefined }> {
    this.#reindex();
    const warning = await this.#republish(rule);
    return { rule: this.get(rule.id) as RuleView, warning };
  }

  async setEnabled(id: string, enabled: boolean): Promise<RuleView | undefined> {
    const rule = this.#o.store.get(id);
    if (!rule) return undefined;
    if (rule.enabled !== enabled) {
      if (enabled) {
        for (const a of rule.agents) {
          if (this.#o.agents.isRunning(a.config.name)) continue;
          // A restart of a registered agent: the spawner restarts the stopped actor from this config.
          await this.#o.spawner.spawn(a.config, { by: 'planner', ruleId: rule.id, confirmed: true });
        }
      } else {
        for (const a of rule.agents) await this.#o.agents.stop(a.config.name);
      }
      this.#o.store.setEnabled(id, enabled, this.#o.clock.now());
      if (enabled) await this.#republish(rule);
    }
    return this.get(id);
  }

  /** The rule an agent belongs to. */
  ruleOf(agent: string): string | undefined {
    return this.#byAgent.get(agent);
  }

  /** A rule by id, or by a unique piece of its title ("porch"). */
  find(ref: string): Rule | undefined {
    const exact = this.#o.store.get(ref);
    if (exact) return exact;
    const needle = ref.toLowerCase();
    const matches = this.#o.store.list().filter((r) => r.title.toLowerCase().includes(needle) || r.text.toLowerCase().includes(needle));
    return matches.length === 1 ? matches[0] : undefined;
  }

  /** Newest first; undefined for an unknown rule. */
  traces(id: string, query?: TraceQuery): StoredTrace[] | undefined {
    if (!this.#o.store.get(id)) return undefined;
    return this.#o.traces?.list(id, query) ?? [];
  }

  /** The compact summary of `/rules trace` (and, later, for the model); undefined for an unknown rule. */
  async traceSummary(ref: string, time?: string): Promise<string | undefined> {
    const rule = this.find(ref);
    if (!rule) return undefined;
    if (!this.#o.traces) return `Rule ${rule.id}: evaluations are not traced here.`;
    const at = time ? parseTraceTime(time, this.#o.clock.now(), this.#o.timezone?.()) : undefined;
    if (time && at === undefined) return `I could not read "${time}" as a time: use 10:42 or 2026-01-01 10:42.`;
    return traceReport({ traces: this.#o.traces, ha: this.#o.ha, timezone: this.#o.timezone?.(), root: this.#o.bus?.root }, rule, at);
  }

  /** Rules that will not fire as the bridge options stand, by id, with why. */
  warnings(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const rule of this.#o.store.list()) {
      const found = bridgeWarnings(rule, this.#o.stateBridge, this.#o.bus?.root);
      if (found.length > 0) out[rule.id] = found;
    }
    return out;
  }

  format(): string {
    return formatRules(this.list(), this.#o.timezone?.());
  }

  #view(rule: Rule, costs: ReadonlyMap<string, { totalUsd: number; todayUsd: number }> | undefined): RuleView {
    const agentStates = rule.agents.map((a) => ({ name: a.config.name, type: a.config.type, state: this.#o.agents.state(a.config.name) }));
    return { ...rule, status: ruleStatus(rule.enabled, agentStates.map((s) => s.state)), agentStates, cost: costs?.get(rule.id) ?? NO_COST };
  }

  #reindex(): void {
    this.#byAgent = new Map(this.#o.store.list().flatMap((r) => r.agents.map((a) => [a.config.name, r.id] as const)));
  }

  #republish(rule: Rule): Promise<string | undefined> {
    const { bus, system, stateOf } = this.#o;
    if (!stateOf) return Promise.resolve(undefined);
    return republishStates({ bus, system, stateOf }, watchedEntities(rule.agents.map((a) => a.config), bus?.root));
  }
}
