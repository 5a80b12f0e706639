import type { Migration } from './index.ts';

export const CORE_MIGRATIONS: readonly Migration[] = [
  {
    version: 100,
    name: 'meta',
    sql: `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  },
];
