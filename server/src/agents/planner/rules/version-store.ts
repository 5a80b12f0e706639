// Every approved version of a rule (planner_rule_versions): the plan it ran (agents' spawn
// configs), who approved it and when, and what produced it: the request, an edit in plain
// language, or a rollback. Kept while the rule exists, not bounded: a person makes each one. The
// rule's current version is its newest: a rollback is recorded as a new version too.
import type { Db } from '../../../store/database.ts';
import type { BacktestResult } from '../backtest/backtest.ts';
import type { ProposalPlan } from '../proposals/proposal.ts';
import type { PlanChange } from './rule-diff.ts';

export type VersionSource = 'created' | 'edit' | 'rollback';

export interface RuleVersionRecord {
  ruleId: string;
  version: number;
  plan: ProposalPlan;
  /** The rule's text as of this version (the request, edits appended). */
  text: string;
  source: VersionSource;
  /** What produced it: the request, the edit, or "rollback to v2". */
  request: string;
  summary: string;
  /** Against the version before it. */
  diff: PlanChange[];
  proposalId: string | undefined;
  approvedBy: string | undefined;
  approvedAt: number;
  backtest: BacktestResult | undefined;
}

interface Row {
  rule_id: string;
  version: number;
  plan: string;
  text: string;
  source: VersionSource;
  request: string;
  summary: string;
  diff: string;
  proposal_id: string | null;
  approved_by: string | null;
  approved_at: number;
  backtest: string | null;
}

function fromRow(r: Row): RuleVersionRecord {
  const plan = JSON.parse(r.plan) as ProposalPlan & { pattern: ProposalPlan['pattern'] | null };
  return {
    ruleId: r.rule_id,
    version: r.version,
    // A rule from before patterns were stored has none (migrated as null).
    plan: plan.pattern === null ? (({ pattern: _none, ...rest }) => rest as ProposalPlan)(plan) : plan,
    text: r.text,
    source: r.source,
    request: r.request,
    summary: r.summary,
    diff: JSON.parse(r.diff) as PlanChange[],
    proposalId: r.proposal_id ?? undefined,
    approvedBy: r.approved_by ?? undefined,
    approvedAt: r.approved_at,
    backtest: r.backtest ? (JSON.parse(r.backtest) as BacktestResult) : undefined,
  };
}

export class RuleVersionStore {
  #insert;
  #list;
  #get;
  #current;
  #forget;

  constructor(db: Db) {
    this.#insert = db.prepare(
      `INSERT INTO planner_rule_versions (rule_id, version, plan, text, source, request, summary, diff, proposal_id, approved_by, approved_at, backtest)
       VALUES (@rule_id, @version, @plan, @text, @source, @request, @summary, @diff, @proposal_id, @approved_by, @approved_at, @backtest)`,
    );
    this.#list = db.prepare<[string], Row>('SELECT * FROM planner_rule_versions WHERE rule_id = ? ORDER BY version DESC');
    this.#get = db.prepare<[string, number], Row>('SELECT * FROM planner_rule_versions WHERE rule_id = ? AND version = ?');
    this.#current = db.prepare<[string], Row>('SELECT * FROM planner_rule_versions WHERE rule_id = ? ORDER BY version DESC LIMIT 1');
    this.#forget = db.prepare('DELETE FROM planner_rule_versions WHERE rule_id = ?');
  }

  /** Fails (primary key) when that version exists: two changes racing from one base cannot both land. */
  insert(v: RuleVersionRecord): void {
    this.#insert.run({
      rule_id: v.ruleId,
      version: v.version,
      plan: JSON.stringify(v.plan),
      text: v.text,
      source: v.source,
      request: v.request,
      summary: v.summary,
      diff: JSON.stringify(v.diff),
      proposal_id: v.proposalId ?? null,
      approved_by: v.approvedBy ?? null,
      approved_at: v.approvedAt,
      backtest: v.backtest ? JSON.stringify(v.backtest) : null,
    });
  }

  /** Newest first. */
  list(ruleId: string): RuleVersionRecord[] {
    return this.#list.all(ruleId).map(fromRow);
  }

  get(ruleId: string, version: number): RuleVersionRecord | undefined {
    const r = this.#get.get(ruleId, version);
    return r ? fromRow(r) : undefined;
  }

  /** The running version (the newest). */
  current(ruleId: string): RuleVersionRecord | undefined {
    const r = this.#current.get(ruleId);
    return r ? fromRow(r) : undefined;
  }

  forget(ruleId: string): number {
    return this.#forget.run(ruleId).changes;
  }
}
