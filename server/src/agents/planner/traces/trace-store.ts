// Rule traces in SQLite (rule_traces, migration 603). Written in batches by the recorder, one
// transaction per batch, and pruned per rule right after: the newest `maxPerRule` evaluations
// (and, apart from them, the newest `maxPerRule` agent.trace steps per agent) younger than `maxAgeMs`.
import type { Db } from '../../../store/database.ts';
import type { RuleTraceStep } from '../../../contract/rules.ts';
import type { TraceRecord } from '../../ha/trace.ts';

export interface StoredTrace extends TraceRecord {
  id: number;
  ruleId: string;
}

interface Row {
  id: number;
  rule_id: string;
  agent: string;
  kind: TraceRecord['kind'];
  at: number;
  duration_ms: number;
  topic: string | null;
  message: string | null;
  outcome: TraceRecord['outcome'];
  steps: string;
}

function fromRow(r: Row): StoredTrace {
  return {
    id: r.id, ruleId: r.rule_id, agent: r.agent, kind: r.kind, at: r.at, durationMs: r.duration_ms, topic: r.topic, message: r.message, outcome: r.outcome,
    steps: JSON.parse(r.steps) as RuleTraceStep[],
  };
}

export interface TraceBounds {
  maxPerRule: number;
  maxAgeMs: number;
}

export interface TraceQuery {
  from?: number;
  to?: number;
  /** Newest first, at most this many. */
  limit?: number;
}

export class TraceStore {
  readonly #db: Db;
  readonly #insert;
  readonly #pruneEvaluations;
  readonly #pruneAgentSteps;
  readonly #pruneAge;

  constructor(db: Db) {
    this.#db = db;
    this.#insert = db.prepare('INSERT INTO rule_traces (rule_id, agent, kind, at, duration_ms, topic, message, outcome, steps) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    // By id (insertion order): the recorder writes in the order evaluations ended.
    this.#pruneEvaluations = db.prepare(`DELETE FROM rule_traces WHERE rule_id = ? AND kind != 'agent' AND id <= (
      SELECT id FROM rule_traces WHERE rule_id = ? AND kind != 'agent' ORDER BY id DESC LIMIT 1 OFFSET ?)`);
    this.#pruneAgentSteps = db.prepare(`DELETE FROM rule_traces WHERE rule_id = ? AND kind = 'agent' AND agent = ? AND id <= (
      SELECT id FROM rule_traces WHERE rule_id = ? AND kind = 'agent' AND agent = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`);
    this.#pruneAge = db.prepare('DELETE FROM rule_traces WHERE rule_id = ? AND at < ?');
  }

  /** Writes a batch and prunes the rules it touched, in one transaction. */
  write(batch: readonly StoredTraceInput[], bounds: TraceBounds, now: number): void {
    if (batch.length === 0) return;
    this.#db.transaction(() => {
      const rules = new Set<string>();
      const agentSteps = new Set<string>();
      for (const t of batch) {
        this.#insert.run(t.ruleId, t.agent, t.kind, t.at, Math.round(t.durationMs), t.topic, t.message, t.outcome, JSON.stringify(t.steps));
        rules.add(t.ruleId);
        if (t.kind === 'agent') agentSteps.add(JSON.stringify([t.ruleId, t.agent]));
      }
      for (const rule of rules) {
        this.#pruneEvaluations.run(rule, rule, bounds.maxPerRule);
        this.#pruneAge.run(rule, now - bounds.maxAgeMs);
      }
      for (const key of agentSteps) {
        const [rule, agent] = JSON.parse(key) as [string, string];
        this.#pruneAgentSteps.run(rule, agent, rule, agent, bounds.maxPerRule);
      }
    })();
  }

  /** Drops traces older than the age bound for every rule (at start: rules that went quiet too). */
  pruneAll(now: number, maxAgeMs: number): number {
    return this.#db.prepare('DELETE FROM rule_traces WHERE at < ?').run(now - maxAgeMs).changes;
  }

  list(ruleId: string, q: TraceQuery = {}): StoredTrace[] {
    const rows = this.#db
      .prepare(`SELECT * FROM rule_traces WHERE rule_id = ? AND at >= ? AND at <= ? ORDER BY at DESC, id DESC LIMIT ?`)
      .all(ruleId, q.from ?? 0, q.to ?? Number.MAX_SAFE_INTEGER, q.limit ?? 1000) as Row[];
    return rows.map(fromRow);
  }

  count(ruleId?: string): number {
    const row = (ruleId === undefined
      ? this.#db.prepare('SELECT COUNT(*) AS n FROM rule_traces').get()
      : this.#db.prepare('SELECT COUNT(*) AS n FROM rule_traces WHERE rule_id = ?').get(ruleId)) as { n: number };
    return row.n;
  }

  forget(ruleId: string): void {
    this.#db.prepare('DELETE FROM rule_traces WHERE rule_id = ?').run(ruleId);
  }
}

export type StoredTraceInput = TraceRecord & { ruleId: string };
