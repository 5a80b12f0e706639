// Planner schema (versions 6xx): the task-plan cache, pipeline proposals and reactive rules.
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
];
