// Bus schema (versions 8xx): the TopicBus's observed samples and agents' contracts (manifests),
// so the planner sees the topics that carried data before a restart at once. Written in batches by
// bus/topic-bus/persistence.ts, bounded there; the JSON columns are checked by zod on the way back.
import type { Migration } from './index.ts';

export const BUS_MIGRATIONS: readonly Migration[] = [
  {
    version: 800,
    name: 'topic_samples',
    sql: `CREATE TABLE topic_samples (
      topic TEXT PRIMARY KEY,
      publisher TEXT,
      sample TEXT NOT NULL,
      last_seen INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX topic_samples_last_seen ON topic_samples (last_seen);
    CREATE TABLE topic_manifests (
      agent TEXT PRIMARY KEY,
      manifest TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    ) WITHOUT ROWID;`,
  },
];
