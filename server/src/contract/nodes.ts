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
});
export type NodeInfo = z.infer<typeof NodeInfo>;
