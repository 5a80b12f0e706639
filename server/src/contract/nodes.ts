// An edge runner (or the main process itself) and the agents it hosts.
import { z } from 'zod';
import { IsoTime } from './common.ts';

export const NodeInfo = z.object({
  name: z.string(),
  online: z.boolean(),
  last_seen: IsoTime.nullable(),
  host: z.string().nullable(),
  version: z.string().nullable(),
  agents: z.array(z.string()),
  /**
   * What brings a deployed runner back after a reboot or a crash, recorded at deploy: a systemd
   * service, a systemd user service, cron, or none; null when unknown (deployed before it was
   * recorded, or undeployed). Absent for the local node.
   */
  supervision: z.enum(['systemd', 'systemd-user', 'cron', 'none']).nullable().optional(),
  /** When /nodes remove stopped the runner and removed its supervisor; absent or null while deployed. */
  undeployed_at: IsoTime.nullable().optional(),
});
export type NodeInfo = z.infer<typeof NodeInfo>;
