// The snapshot of Home Assistant's areas and entities the orchestrator plans with. Entities are
// loose objects: the HA side owns their fields, the API only guarantees the id.
import { z } from 'zod';
import { IsoTime } from './common.ts';

export const HaMapEntity = z.looseObject({ entity_id: z.string() });

export const HaMap = z.object({
  generated_at: IsoTime,
  areas: z.array(z.looseObject({ id: z.string(), name: z.string() })),
  entities: z.array(HaMapEntity),
});
export type HaMap = z.infer<typeof HaMap>;
