// Changing a running rule: an approved edit or a rollback swaps the rule's agents for the new
// version's (swap.ts: all or nothing, the running version keeps running when a start fails) and
// records version N+1. A change is applied only onto the version it was made from: an edit drafted
// from v2 is refused once v3 runs. One change per rule at a time; a disabled rule is refused (its
// agents are stopped, and swapping them would start them).
import type { Clock } from '../../../core/clock.ts';
import type { Db } from '../../../store/database.ts';
import type { BacktestResult } from '../backtest/backtest.ts';
import type { SpawnPort } from '../ports.ts';
import type { ProposalPlan } from '../proposals/proposal.ts';
import { describeIssue, type ValidationReport } from '../validation/issues.ts';
import { diffPlans, summarizeDiff } from './rule-diff.ts';
import type { RuleStore } from './rule-store.ts';
import type { Rule, RuleView } from './rule.ts';
import { swapRuleAgents } from './swap.ts';
import type { RuleVersionRecord, RuleVersionStore, VersionSource } from './version-store.ts';

export interface RuleEditorOptions {
  db: Db;
  store: RuleStore;
  versions: RuleVersionStore;
  spawner: SpawnPort;
  clock: Clock;
  /** After a swap: the rule re-indexed and its watched states re-published (RulesManager.refresh). */
  refresh: (rule: Rule) => Promise<{ rule: RuleView; warning: string | undefined }>;
  /** A rule by id or a unique piece of its title (RulesManager.find). */
  find: (ref: string) => Rule | undefined;
  /** An earlier version checked against the home as it is now (entities, services, code), before it runs again. */
  revalidate?: (plan: ProposalPlan, rule: Rule) => Promise<ValidationReport>;
}

export interface RuleChange {
  ruleId: string;
  /** The version the change was made from; refused unless it still runs. */
  baseVersion: number;
  plan: ProposalPlan;
  text: string;
  source: Exclude<VersionSource, 'created'>;
  request: string;
  proposalId?: string;
  approvedBy?: string | undefined;
  backtest?: BacktestResult | undefined;
}

export type ChangeCode = 'not_found' | 'conflict' | 'invalid';
export type ChangeResult = { ok: true; rule: RuleView; version: RuleVersionRecord; warnings: string[] } | { ok: false; code: ChangeCode; error: string };

export class RuleEditor {
  readonly #o: RuleEditorOptions;
  readonly #busy = new Set<string>();

  constructor(options: RuleEditorOptions) {
    this.#o = options;
  }

  /** Version 1 of a rule just deployed from an approved plan. */
  recordCreated(rule: Rule, plan: ProposalPlan, approvedBy: string | undefined): void {
    this.#o.versions.insert({ ruleId: rule.id, version: 1, plan, text: rule.text, source: 'created', request: rule.text, summary: 'created', diff: [], proposalId: rule.proposalId, approvedBy, approvedAt: rule.createdAt, backtest: rule.backtest });
  }

  /** The running version; a rule that has none yet (made before versions were kept) gets its version 1 now. */
  current(ruleId: string): RuleVersionRecord | undefined {
    const v = this.#o.versions.current(ruleId);
    if (v) return v;
    const rule = this.#o.store.get(ruleId);
    if (!rule) return undefined;
    this.recordCreated(rule, planOf(rule), undefined);
    return this.#o.versions.current(ruleId);
  }

  get(ruleId: string, version: number): RuleVersionRecord | undefined {
    return this.#o.versions.get(ruleId, version);
  }

  /** Every version, newest first; undefined for an unknown rule. */
  versions(ref: string): { rule: Rule; versions: RuleVersionRecord[] } | undefined {
    const rule = this.#o.find(ref);
    if (!rule) return undefined;
    this.current(rule.id);
    return { rule, versions: this.#o.versions.list(rule.id) };
  }

  isBusy(ruleId: string): boolean {
    return this.#busy.has(ruleId);
  }

  /** Swaps the agents and records the new version, or leaves the running version as it was. */
  async apply(change: RuleChange): Promise<ChangeResult> {
    const rule = this.#o.store.get(change.ruleId);
    if (!rule) return { ok: false, code: 'not_found', error: `There is no rule ${change.ruleId} any more. /rules lists them.` };
    if (!rule.enabled) return { ok: false, code: 'conflict', error: `Rule ${rule.id} is disabled: enable it first, then change it (its agents are stopped, and swapping them would start them).` };
    if (this.#busy.has(rule.id)) return { ok: false, code: 'conflict', error: `Rule ${rule.id} is being changed right now; try again when that is done.` };
    const current = this.current(rule.id);
    if (!current) return { ok: false, code: 'not_found', error: `There is no rule ${change.ruleId} any more. /rules lists them.` };
    if (current.version !== change.baseVersion) {
      return { ok: false, code: 'conflict', error: `Rule ${rule.id} runs version ${current.version} now, and this change was made from version ${change.baseVersion}: nothing was changed. Ask for the change again so it is made from what runs.` };
    }
    const diff = diffPlans(current.plan, change.plan);
    if (diff.length === 0) return { ok: false, code: 'conflict', error: `That would not change rule ${rule.id}: version ${current.version} already has these agents.` };
    this.#busy.add(rule.id);
    try {
      const swapped = await swapRuleAgents({ ruleId: rule.id, planId: change.proposalId, from: rule.agents, to: change.plan.agents, confirmed: true }, this.#o.spawner);
      if (!swapped.ok) return { ok: false, code: 'conflict', error: `Rule ${rule.id} was not changed (${swapped.error}); version ${current.version} is still running.` };
      const now = this.#o.clock.now();
      const version: RuleVersionRecord = {
        ruleId: rule.id,
        version: current.version + 1,
        plan: change.plan,
        text: change.text,
        source: change.source,
        request: change.request,
        summary: summarizeDiff(diff),
        diff,
        proposalId: change.proposalId,
        approvedBy: change.approvedBy,
        approvedAt: now,
        backtest: change.backtest,
      };
      const next: Rule = { ...rule, text: change.text, title: change.plan.title, pattern: change.plan.pattern, proposalId: change.proposalId ?? rule.proposalId, agents: change.plan.agents.map((a) => ({ config: a.config, description: a.description })), updatedAt: now, backtest: change.backtest };
      try {
        this.#o.db.transaction(() => {
          this.#o.versions.insert(version);
          this.#o.store.replace(next);
        })();
      } catch (err) {
        // Not recorded, so not kept running: the rule's row still describes the previous version.
        await swapRuleAgents({ ruleId: rule.id, from: next.agents, to: rule.agents, confirmed: true }, this.#o.spawner);
        return { ok: false, code: 'conflict', error: `Rule ${rule.id} was not changed: the new version could not be saved (${err instanceof Error ? err.message : String(err)}); version ${current.version} is running again.` };
      }
      const refreshed = await this.#o.refresh(next);
      return { ok: true, rule: refreshed.rule, version, warnings: [...swapped.warnings, ...(refreshed.warning ? [refreshed.warning] : [])] };
    } finally {
      this.#busy.delete(rule.id);
    }
  }

  /** The rule's agents back to an earlier version's configs, recorded as a new version ("rollback to v2"). */
  async rollback(ref: string, version: number, approvedBy?: string): Promise<ChangeResult> {
    const rule = this.#o.find(ref);
    if (!rule) return { ok: false, code: 'not_found', error: `There is no rule ${ref} (an id, or a word of one rule's title). /rules lists them.` };
    const current = this.current(rule.id);
    const target = this.#o.versions.get(rule.id, version);
    if (!current || !target) return { ok: false, code: 'not_found', error: `Rule ${rule.id} has no version ${version}; it has versions 1 to ${current?.version ?? 1} (/rules history ${rule.id}).` };
    if (target.version === current.version) return { ok: false, code: 'conflict', error: `Rule ${rule.id} already runs version ${version}; nothing to roll back.` };
    const report = await this.#o.revalidate?.(target.plan, rule);
    if (report && !report.ok) return { ok: false, code: 'invalid', error: `Version ${version} of rule ${rule.id} would not work in the home as it is now, so nothing was changed:\n${report.errors.map((e) => `- ${describeIssue(e)}`).join('\n')}` };
    return this.apply({ ruleId: rule.id, baseVersion: current.version, plan: target.plan, text: target.text, source: 'rollback', request: `rollback to v${version}`, approvedBy, backtest: target.backtest, ...(target.proposalId ? { proposalId: target.proposalId } : {}) });
  }
}

/** The plan a rule runs, from what the rules store holds. */
export function planOf(rule: Rule): ProposalPlan {
  return { ...(rule.pattern ? { pattern: rule.pattern } : {}), title: rule.title, summary: '', agents: rule.agents.map((a) => ({ config: a.config, description: a.description })) } as ProposalPlan;
}
