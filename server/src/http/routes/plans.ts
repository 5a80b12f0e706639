// /api/plans: proposals waiting for the user; approve turns one into a rule, reject drops it.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { Plan, PlanDecisionBody } from '../../contract/plans.ts';
import { jsonSchema } from '../schema.ts';
import { ServiceError } from '../../contract/service-error.ts';
import type { PlansService } from '../../contract/services.ts';
import { contextOf, need, notFound, responses } from './support.ts';

const DecisionParams = z.object({ id: z.string().min(1).max(128), decision: z.enum(['approve', 'reject']) });

export const planRoutes: FastifyPluginAsync<{ service: PlansService | undefined }> = async (app, { service }) => {
  app.get('/api/plans', { schema: { response: responses(z.array(Plan)) } }, async () => need(service, 'Plans').list());

  // The body is optional (a bare POST approves), which a JSON Schema body cannot express in
  // Fastify: an absent body fails `type: object`. zod checks it instead.
  app.post<{ Params: z.infer<typeof DecisionParams>; Body: unknown }>(
    '/api/plans/:id/:decision',
    { schema: { params: jsonSchema(DecisionParams), response: responses(Plan) } },
    async (req, reply) => {
      const plans = need(service, 'Plans');
      const body = PlanDecisionBody.safeParse(req.body ?? {});
      if (!body.success) throw new ServiceError('invalid', body.error.issues[0]?.message ?? 'Invalid body');
      const ctx = contextOf(req, reply);
      const plan = req.params.decision === 'approve' ? await plans.approve(req.params.id, ctx) : await plans.reject(req.params.id, body.data.reason, ctx);
      if (!plan) throw notFound('plan', req.params.id);
      return plan;
    },
  );
};
