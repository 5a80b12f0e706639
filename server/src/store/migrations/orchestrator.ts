// Orchestrator tables (versions 5xx): the chat history every interface shows (per user and
// conversation, with secrets already masked), the user facts main remembers with where each came
// from, and notification webhooks, which are secrets and therefore live apart from any history.
import type { Migration } from './index.ts';

export const ORCHESTRATOR_MIGRATIONS: readonly Migration[] = [
  {
    version: 500,
    name: 'chat history',
    // Keyed by (user, conversation): a conversation id is chosen by the client, so two users who
    // happen to pick the same id still get two conversations.
    sql: `
      CREATE TABLE chat_conversations (
        user_key TEXT NOT NULL,
        id TEXT NOT NULL,
        channel TEXT NOT NULL,
        title TEXT NOT NULL,
        agent TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (user_key, id)
      );
      CREATE INDEX chat_conversations_updated ON chat_conversations (user_key, updated_at);
      CREATE TABLE chat_messages (
        user_key TEXT NOT NULL,
        conversation TEXT NOT NULL,
        seq INTEGER NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'activity')),
        text TEXT NOT NULL,
        agent TEXT,
        at INTEGER NOT NULL,
        PRIMARY KEY (user_key, conversation, seq)
      );
    `,
  },
  {
    version: 501,
    name: 'user facts',
    sql: `
      CREATE TABLE user_facts (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        category TEXT NOT NULL,
        source_kind TEXT NOT NULL,
        source_user TEXT,
        source_conversation TEXT,
        source_excerpt TEXT,
        source_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 502,
    name: 'notification webhooks',
    sql: `
      CREATE TABLE webhooks (
        service TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        source TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `,
  },
];
