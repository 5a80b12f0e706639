// /api/budget: the spending limits and how much of them is used; PUT changes the limits.
import type { FastifyPluginAsync } from 'fastify';
import { Budget, BudgetUpdate } from '../../contract/cost.ts';
import { jsonSchema } from '../schema.ts';
import { ServiceError } from '../../contract/service-error.ts';
import type { BudgetService } from '../../contract/services.ts';
import { contextOf, need, responses } from './support.ts';

export const budgetRoutes: FastifyPluginAsync<{ service: BudgetService | undefined }> = async (app, { service }) => {
  app.get('/api/budget', { schema: { response: responses(Budget) } }, async () => need(service, 'The budget').get());

  app.put<{ Body: BudgetUpdate }>(
    '/api/budget',
    { schema: { body: jsonSchema(BudgetUpdate), response: responses(Budget) } },
    async (req, reply) => {
      const budget = need(service, 'The budget');
      if (Object.keys(req.body).length === 0) throw new ServiceError('invalid', 'Give at least one of daily_usd, weekly_usd, monthly_usd');
      return budget.update(req.body, contextOf(req, reply));
    },
  );
};
