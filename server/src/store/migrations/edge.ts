// Edge schema (versions 7xx): the remote nodes deployed from here. The secret signs the commands
// sent to a node (HMAC); it has to be readable to sign, so it lives in the database beside the
// other secrets of the add-on's data dir and never leaves it through logs or the API. No SSH
// password column: deploys use a key pair, so there is no password to keep.
import type { Migration } from './index.ts';

export const EDGE_MIGRATIONS: readonly Migration[] = [
  {
    version: 700,
    name: 'edge_nodes',
    sql: `CREATE TABLE edge_nodes (
      name TEXT PRIMARY KEY,
      secret TEXT NOT NULL,
      host TEXT,
      ssh_user TEXT,
      ssh_port INTEGER,
      install_dir TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) WITHOUT ROWID;`,
  },
  {
    // What supervises the runner (systemd, systemd-user, cron, none), recorded at deploy; and
    // when /nodes remove undeployed it (the row stays until the owner asks to --forget it).
    version: 701,
    name: 'edge_nodes_supervision',
    sql: `ALTER TABLE edge_nodes ADD COLUMN supervision TEXT;
    ALTER TABLE edge_nodes ADD COLUMN undeployed_at INTEGER;`,
  },
];
