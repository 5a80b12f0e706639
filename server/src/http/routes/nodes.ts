// /api/nodes: edge runners, online or not, with the agents they host.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { NodeInfo } from '../../contract/nodes.ts';
import type { NodesService } from '../../contract/services.ts';
import { need, responses } from './support.ts';

export const nodeRoutes: FastifyPluginAsync<{ service: NodesService | undefined }> = async (app, { service }) => {
  app.get('/api/nodes', { schema: { response: responses(z.array(NodeInfo)) } }, async () => need(service, 'The node list').list());
};
