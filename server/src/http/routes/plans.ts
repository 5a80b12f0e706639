// /api/plans: proposals waiting for the user; approve turns one into a rule, reject drops it.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { Plan, PlanDecisionBody } from '../models/plans.ts';
import { jsonSchema } from '../schema.ts';
import type { PlansService } from '../services.ts';
import { contextOf, need, notFound, responses } from './support.ts';

const DecisionParams = z.object({ id: z.string().min(1).max(128), decision: z.enum(['approve', 'reject']) });

export const planRoutes: FastifyPluginAsync<{ service: PlansService | undefined }> = async (app, { service }) => {
  app.get('/api/plans', { schema: { response: responses(z.array(Plan)) } }, async () => need(service, 'Plans').list());

  app.post<{ Params: z.infer<typeof DecisionParams>; Body: PlanDecisionBody | undefined }>(
    '/api/plans/:id/:decision',
    { schema: { params: jsonSchema(DecisionParams), body: jsonSchema(PlanDecisionBody), response: responses(Plan) } },
    async (req, reply) => {
      const plans = need(service, 'Plans');
      const ctx = contextOf(req, reply);
      const plan = req.params.decision === 'approve' ? await plans.approve(req.params.id, ctx) : await plans.reject(req.params.id, req.body?.reason, ctx);
      if (!plan) throw notFound('plan', req.params.id);
      return plan;
    },
  );
};
