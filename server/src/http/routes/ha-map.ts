// /api/ha-map: the latest snapshot of Home Assistant's areas and entities (404 before the first).
import type { FastifyPluginAsync } from 'fastify';
import { HaMap } from '../../contract/ha-map.ts';
import { ServiceError } from '../../contract/service-error.ts';
import type { HaMapService } from '../../contract/services.ts';
import { need, responses } from './support.ts';

export const haMapRoutes: FastifyPluginAsync<{ service: HaMapService | undefined }> = async (app, { service }) => {
  app.get('/api/ha-map', { schema: { response: responses(HaMap) } }, async () => {
    const map = await need(service, 'The Home Assistant map').snapshot();
    if (!map) throw new ServiceError('not_found', 'No snapshot of Home Assistant has been taken yet');
    return map;
  });
};
