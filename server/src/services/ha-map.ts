// GET /api/ha-map: the map of areas and entities with their states as they are now. The map
// agent's snapshot is rebuilt only when a registry changes (that is what the planner needs), so
// serving it would show a light turned on an hour ago as still off, dated the start time. The HA
// client's state cache is live, so each request builds the map from it; the agent's snapshot is
// the answer only until HA has been loaded once.
import { buildMap } from '../agents/ha/map/build-map.ts';
import type { HaMap } from '../contract/ha-map.ts';
import type { HaMapService } from '../contract/services.ts';
import type { Clock } from '../core/clock.ts';
import type { HaClient } from '../ha/client.ts';

export function createHaMapService(ha: HaClient, clock: Clock, snapshot: HaMapService): HaMapService {
  return {
    async snapshot(): Promise<HaMap | undefined> {
      const built = await snapshot.snapshot();
      // Nothing loaded yet: 404 as before, rather than an empty map that looks like an empty home.
      if (built === undefined || ha.states().length === 0) return built;
      return buildMap({ registries: ha.registries(), states: ha.states(), config: ha.config(), now: clock.now() });
    },
  };
}
