// Who is asking, as the access guard established it: an HA user through ingress, an API-key
// client, the companion HA integration (its own token), or a local request in the standalone dev
// mode. Services act on this identity's behalf.
import { z } from 'zod';

export const Identity = z.object({
  userId: z.string().nullable(),
  userName: z.string().nullable(),
  displayName: z.string().nullable(),
  via: z.enum(['ingress', 'api_key', 'integration', 'local']),
});
export type Identity = z.infer<typeof Identity>;
