// /api/cost: LLM spend over a period, per provider and per agent.
import type { FastifyPluginAsync } from 'fastify';
import type { z } from 'zod';
import { CostQuery, CostReport } from '../../contract/cost.ts';
import { jsonSchema } from '../schema.ts';
import type { CostService } from '../../contract/services.ts';
import { need, responses } from './support.ts';

export const costRoutes: FastifyPluginAsync<{ service: CostService | undefined }> = async (app, { service }) => {
  app.get<{ Querystring: z.infer<typeof CostQuery> }>(
    '/api/cost',
    { schema: { querystring: jsonSchema(CostQuery), response: responses(CostReport) } },
    async (req) => need(service, 'Cost reporting').report(req.query.period),
  );
};
