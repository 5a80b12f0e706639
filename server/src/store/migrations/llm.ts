// LLM layer tables (versions 2xx): the cost ledger, budget caps changed at runtime, and the
// conversation memory of LLM agents (one row per message, so one corrupt row cannot take the
// rest of a history with it).
import type { Migration } from './index.ts';

export const LLM_MIGRATIONS: readonly Migration[] = [
  {
    version: 200,
    name: 'llm ledger and budget',
    sql: `
      CREATE TABLE llm_calls (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        agent TEXT NOT NULL,
        rule TEXT,
        call_site TEXT NOT NULL,
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        input_tokens INTEGER NOT NULL,
        cached_input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL,
        cost_usd REAL,
        fallback INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX llm_calls_at ON llm_calls (at);
      CREATE INDEX llm_calls_agent_at ON llm_calls (agent, at);
      CREATE TABLE llm_budget (
        period TEXT PRIMARY KEY CHECK (period IN ('day', 'week', 'month')),
        cap_usd REAL,
        updated_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 201,
    name: 'llm conversation memory',
    sql: `
      CREATE TABLE llm_messages (
        conversation TEXT NOT NULL,
        seq INTEGER NOT NULL,
        body TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (conversation, seq)
      );
      CREATE TABLE llm_summaries (
        conversation TEXT NOT NULL,
        seq INTEGER NOT NULL,
        text TEXT NOT NULL,
        covered INTEGER NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (conversation, seq)
      );
    `,
  },
  {
    version: 202,
    name: 'llm ledger by rule',
    // Cost per rule is read on every rule listing; only the (few) calls of rules' agents are indexed.
    sql: `CREATE INDEX llm_calls_rule_at ON llm_calls (rule, at) WHERE rule IS NOT NULL;`,
  },
  {
    version: 203,
    name: 'llm ledger cache writes',
    // Prompt-cache writes are billed above the input price (Anthropic 1.25x); kept beside the
    // cached reads so a report can say what caching cost as well as what it saved. Calls before
    // this version count none.
    sql: `ALTER TABLE llm_calls ADD COLUMN cache_write_tokens INTEGER NOT NULL DEFAULT 0;`,
  },
];
