// What travels on nodes/{name}/spawn|stop|migrate|list (server -> node, signed with the node's
// secret) and nodes/{name}/result (node -> server, signed the same way). The node also signs its
// heartbeat (heartbeats.ts believes nothing else) and migrate_result, each as its own kind; the
// server acts on the signed `result` of a migrate (it carries the state), migrate_result is only a
// notice for watchers. Plain types, no bus: the edge runner imports this file too.
import type { Json } from '../../sandbox/types.ts';

export interface SpawnCommand {
  name: string;
  request_id: string;
  /** The spawn config (type dynamic) exactly as the spawner validated it. */
  config: Record<string, unknown>;
  /** Persisted keys carried over by a migration. */
  state?: Record<string, Json>;
}

export interface StopCommand {
  name: string;
  request_id: string;
}

export interface MigrateCommand {
  name: string;
  target: string;
  request_id: string;
}

export interface ListCommand {
  request_id: string;
}

export interface EdgeAgentInfo {
  name: string;
  status: string;
}

export interface NodeResult {
  request_id?: string;
  command: string;
  ok: boolean;
  name?: string;
  id?: string;
  error?: string;
  warnings?: string[];
  agents?: EdgeAgentInfo[];
  state?: Record<string, Json>;
  /** spawn: 'spawned' | 'reused' (same config already running) | 'replaced'. */
  status?: string;
}

export const RESULT_LEVEL = 'result';
