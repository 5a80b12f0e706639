// Proposals in SQLite (planner_proposals), so a pending plan survives a restart and its 24 h
// expiry is counted from when it was made, not from when the process started.
import type { Db } from '../../../store/database.ts';
import type { BacktestResult } from '../backtest/backtest.ts';
import type { ValidationReport } from '../validation/issues.ts';
import type { Proposal, ProposalEdit, ProposalPlan, ProposalStatus } from './proposal.ts';

interface Row {
  id: string;
  conversation_id: string | null;
  requested_by: string | null;
  request: string;
  status: ProposalStatus;
  plan: string;
  validation: string;
  backtest: string | null;
  created_at: number;
  updated_at: number;
  expires_at: number;
  superseded_by: string | null;
  supersedes: string | null;
  rule_id: string | null;
  reason: string | null;
  edit: string | null;
}

function fromRow(r: Row): Proposal {
  const p: Proposal = {
    id: r.id,
    request: r.request,
    status: r.status,
    plan: JSON.parse(r.plan) as ProposalPlan,
    validation: JSON.parse(r.validation) as ValidationReport,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    expiresAt: r.expires_at,
  };
  if (r.conversation_id !== null) p.conversationId = r.conversation_id;
  if (r.requested_by !== null) p.requestedBy = r.requested_by;
  if (r.backtest !== null) p.backtest = JSON.parse(r.backtest) as BacktestResult;
  if (r.superseded_by !== null) p.supersededBy = r.superseded_by;
  if (r.supersedes !== null) p.supersedes = r.supersedes;
  if (r.rule_id !== null) p.ruleId = r.rule_id;
  if (r.reason !== null) p.reason = r.reason;
  if (r.edit !== null) p.edit = JSON.parse(r.edit) as ProposalEdit;
  return p;
}

function toRow(p: Proposal): Row {
  return {
    id: p.id,
    conversation_id: p.conversationId ?? null,
    requested_by: p.requestedBy ?? null,
    request: p.request,
    status: p.status,
    plan: JSON.stringify(p.plan),
    validation: JSON.stringify(p.validation),
    backtest: p.backtest ? JSON.stringify(p.backtest) : null,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    expires_at: p.expiresAt,
    superseded_by: p.supersededBy ?? null,
    supersedes: p.supersedes ?? null,
    rule_id: p.ruleId ?? null,
    reason: p.reason ?? null,
    edit: p.edit ? JSON.stringify(p.edit) : null,
  };
}

export class ProposalStore {
  #upsert;
  #get;
  #list;
  #pendingIn;
  #due;
  #prune;

  constructor(db: Db) {
    const cols = 'id, conversation_id, requested_by, request, status, plan, validation, backtest, created_at, updated_at, expires_at, superseded_by, supersedes, rule_id, reason, edit';
    this.#upsert = db.prepare(
      `INSERT INTO planner_proposals (${cols}) VALUES (${cols.split(', ').map((c) => `@${c}`).join(', ')})
       ON CONFLICT (id) DO UPDATE SET ${cols.split(', ').filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`).join(', ')}`,
    );
    this.#get = db.prepare<[string], Row>('SELECT * FROM planner_proposals WHERE id = ?');
    this.#list = db.prepare<[], Row>('SELECT * FROM planner_proposals ORDER BY created_at DESC, rowid DESC');
    this.#pendingIn = db.prepare<[string | null, string | null], Row>(
      `SELECT * FROM planner_proposals WHERE status = 'pending' AND requested_by IS ? AND conversation_id IS ? ORDER BY created_at DESC, rowid DESC`,
    );
    this.#due = db.prepare<[number], Row>(`SELECT * FROM planner_proposals WHERE status = 'pending' AND expires_at <= ?`);
    this.#prune = db.prepare(`DELETE FROM planner_proposals WHERE status != 'pending' AND updated_at < ?`);
  }

  save(p: Proposal): void {
    this.#upsert.run(toRow(p));
  }

  get(id: string): Proposal | undefined {
    const r = this.#get.get(id);
    return r ? fromRow(r) : undefined;
  }

  /** Newest first. */
  list(): Proposal[] {
    return this.#list.all().map(fromRow);
  }

  /** Pending proposals of one user's conversation, newest first. */
  pendingIn(requestedBy: string | undefined, conversationId: string | undefined): Proposal[] {
    return this.#pendingIn.all(requestedBy ?? null, conversationId ?? null).map(fromRow);
  }

  duePending(now: number): Proposal[] {
    return this.#due.all(now).map(fromRow);
  }

  /** Forgets decided proposals older than `before` (the history /plans shows stays bounded). */
  prune(before: number): number {
    return this.#prune.run(before).changes;
  }
}
