// Planner schema (versions 6xx): the task-plan cache, pipeline proposals, reactive rules, their
// traces and their versions.
// JSON columns hold values whose schema lives in agents/planner/ (zod), not in the store.
import type { Migration } from './index.ts';

export const PLANNER_MIGRATIONS: readonly Migration[] = [
  {
    version: 600,
    name: 'planner_task_cache',
    // Keyed by the normalised task text: the original keyed its cache by the raw string plus a
    // timestamp, so a repeat never hit.
    sql: `CREATE TABLE planner_task_cache (
      key TEXT PRIMARY KEY,
      task TEXT NOT NULL,
      plan TEXT NOT NULL,
      agents TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      hits INTEGER NOT NULL DEFAULT 0,
      last_hit_at INTEGER
    ) WITHOUT ROWID;`,
  },
  {
    version: 601,
    name: 'planner_proposals',
    sql: `CREATE TABLE planner_proposals (
      id TEXT PRIMARY KEY,
      conversation_id TEXT,
      requested_by TEXT,
      request TEXT NOT NULL,
      status TEXT NOT NULL,
      plan TEXT NOT NULL,
      validation TEXT NOT NULL,
      backtest TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      superseded_by TEXT,
      supersedes TEXT,
      rule_id TEXT,
      reason TEXT
    );
    CREATE INDEX planner_proposals_pending ON planner_proposals (status, conversation_id, created_at);`,
  },
  {
    version: 602,
    name: 'planner_rules',
    sql: `CREATE TABLE planner_rules (
      id TEXT PRIMARY KEY,
      text TEXT NOT NULL,
      title TEXT NOT NULL,
      proposal_id TEXT,
      agents TEXT NOT NULL,
      enabled INTEGER NOT NULL DEFAULT 1,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      last_fired_at INTEGER,
      fire_count INTEGER NOT NULL DEFAULT 0,
      backtest TEXT
    );`,
  },
  {
    version: 603,
    name: 'rule_traces',
    // One row per evaluation of a rule's trigger (or schedule firing, or agent.trace step); steps
    // as JSON (schema: contract/rules.ts RuleTraceStep). Bounded per rule by the recorder.
    sql: `CREATE TABLE rule_traces (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      rule_id TEXT NOT NULL,
      agent TEXT NOT NULL,
      kind TEXT NOT NULL,
      at INTEGER NOT NULL,
      duration_ms INTEGER NOT NULL,
      topic TEXT,
      message TEXT,
      outcome TEXT NOT NULL,
      steps TEXT NOT NULL
    );
    CREATE INDEX rule_traces_rule_at ON rule_traces (rule_id, at);`,
  },
  {
    version: 604,
    name: 'planner_rule_versions',
    // Every approved version of a rule, kept for history and rollback (not bounded: a version is a
    // few kilobytes and made by a person). `plan` is the ProposalPlan (pattern, title, summary,
    // agents with their spawn configs). Rules that exist already become their version 1, approved
    // by whoever asked for the proposal when it is still known. A proposal that edits a rule
    // carries `edit` ({ruleId, version, diff}): the version it was drafted from.
    sql: `CREATE TABLE planner_rule_versions (
      rule_id TEXT NOT NULL,
      version INTEGER NOT NULL,
      plan TEXT NOT NULL,
      text TEXT NOT NULL,
      source TEXT NOT NULL,
      request TEXT NOT NULL,
      summary TEXT NOT NULL,
      diff TEXT NOT NULL,
      proposal_id TEXT,
      approved_by TEXT,
      approved_at INTEGER NOT NULL,
      backtest TEXT,
      PRIMARY KEY (rule_id, version)
    ) WITHOUT ROWID;
    INSERT INTO planner_rule_versions (rule_id, version, plan, text, source, request, summary, diff, proposal_id, approved_by, approved_at, backtest)
      SELECT r.id, 1,
        json_object('pattern', json_extract(r.agents, '$.pattern'), 'title', r.title, 'summary', '', 'agents', json(json_extract(r.agents, '$.agents'))),
        r.text, 'created', r.text, 'created', '[]', r.proposal_id, p.requested_by, r.created_at, r.backtest
      FROM planner_rules r LEFT JOIN planner_proposals p ON p.id = r.proposal_id;
    ALTER TABLE planner_proposals ADD COLUMN edit TEXT;`,
  },
];
