// Rules in SQLite (planner_rules). Durable on return (WAL, synchronous=FULL): an approved rule
// survives kill -9 and is there at the next start, beside its agents in the spawn registry.
import type { Db } from '../../../store/database.ts';
import type { BacktestResult } from '../backtest/backtest.ts';
import type { Pattern } from '../pipeline/pipeline-plan.ts';
import type { Rule, RuleAgent } from './rule.ts';

interface Row {
  id: string;
  text: string;
  title: string;
  proposal_id: string | null;
  agents: string;
  enabled: number;
  created_at: number;
  updated_at: number;
  last_fired_at: number | null;
  fire_count: number;
  backtest: string | null;
}

interface StoredAgents {
  pattern?: Pattern;
  agents: RuleAgent[];
}

function fromRow(r: Row): Rule {
  const stored = JSON.parse(r.agents) as StoredAgents;
  return {
    id: r.id,
    text: r.text,
    title: r.title,
    pattern: stored.pattern,
    proposalId: r.proposal_id ?? undefined,
    agents: stored.agents,
    enabled: r.enabled === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastFiredAt: r.last_fired_at ?? undefined,
    fireCount: r.fire_count,
    backtest: r.backtest ? (JSON.parse(r.backtest) as BacktestResult) : undefined,
  };
}

export class RuleStore {
  #insert;
  #get;
  #list;
  #delete;
  #enabled;
  #fired;
  #replace;

  constructor(db: Db) {
    this.#insert = db.prepare(
      `INSERT INTO planner_rules (id, text, title, proposal_id, agents, enabled, created_at, updated_at, last_fired_at, fire_count, backtest)
       VALUES (@id, @text, @title, @proposal_id, @agents, @enabled, @created_at, @updated_at, @last_fired_at, @fire_count, @backtest)`,
    );
    this.#get = db.prepare<[string], Row>('SELECT * FROM planner_rules WHERE id = ?');
    this.#list = db.prepare<[], Row>('SELECT * FROM planner_rules ORDER BY created_at, rowid');
    this.#delete = db.prepare('DELETE FROM planner_rules WHERE id = ?');
    this.#enabled = db.prepare('UPDATE planner_rules SET enabled = ?, updated_at = ? WHERE id = ?');
    this.#fired = db.prepare('UPDATE planner_rules SET last_fired_at = ?, fire_count = fire_count + 1 WHERE id = ?');
    this.#replace = db.prepare('UPDATE planner_rules SET text = @text, title = @title, proposal_id = @proposal_id, agents = @agents, updated_at = @updated_at, backtest = @backtest WHERE id = @id');
  }

  insert(rule: Rule): void {
    this.#insert.run({
      id: rule.id,
      text: rule.text,
      title: rule.title,
      proposal_id: rule.proposalId ?? null,
      agents: storedAgents(rule),
      enabled: rule.enabled ? 1 : 0,
      created_at: rule.createdAt,
      updated_at: rule.updatedAt,
      last_fired_at: rule.lastFiredAt ?? null,
      fire_count: rule.fireCount,
      backtest: rule.backtest ? JSON.stringify(rule.backtest) : null,
    });
  }

  /** A new version of the rule: its text, title, agents and backtest (fired count and enabled stay). */
  replace(rule: Rule): boolean {
    return this.#replace.run({ id: rule.id, text: rule.text, title: rule.title, proposal_id: rule.proposalId ?? null, agents: storedAgents(rule), updated_at: rule.updatedAt, backtest: rule.backtest ? JSON.stringify(rule.backtest) : null }).changes > 0;
  }

  get(id: string): Rule | undefined {
    const row = this.#get.get(id);
    return row ? fromRow(row) : undefined;
  }

  list(): Rule[] {
    return this.#list.all().map(fromRow);
  }

  delete(id: string): boolean {
    return this.#delete.run(id).changes > 0;
  }

  setEnabled(id: string, enabled: boolean, now: number): boolean {
    return this.#enabled.run(enabled ? 1 : 0, now, id).changes > 0;
  }

  recordFire(id: string, at: number): void {
    this.#fired.run(at, id);
  }
}

function storedAgents(rule: Rule): string {
  const agents: StoredAgents = { ...(rule.pattern ? { pattern: rule.pattern } : {}), agents: rule.agents };
  return JSON.stringify(agents);
}
