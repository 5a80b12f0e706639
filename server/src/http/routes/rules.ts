// /api/rules: the Rules view; enable/disable and delete act on one rule.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { Ok } from '../../contract/common.ts';
import { Rule } from '../../contract/rules.ts';
import { jsonSchema } from '../schema.ts';
import type { RulesService } from '../../contract/services.ts';
import { contextOf, need, notFound, responses } from './support.ts';

const IdParams = z.object({ id: z.string().min(1).max(128) });
const ToggleParams = IdParams.extend({ action: z.enum(['enable', 'disable']) });

export const ruleRoutes: FastifyPluginAsync<{ service: RulesService | undefined }> = async (app, { service }) => {
  app.get('/api/rules', { schema: { response: responses(z.array(Rule)) } }, async () => need(service, 'Rules').list());

  app.post<{ Params: z.infer<typeof ToggleParams> }>(
    '/api/rules/:id/:action',
    { schema: { params: jsonSchema(ToggleParams), response: responses(Rule) } },
    async (req, reply) => {
      const rule = await need(service, 'Rules').setEnabled(req.params.id, req.params.action === 'enable', contextOf(req, reply));
      if (!rule) throw notFound('rule', req.params.id);
      return rule;
    },
  );

  app.delete<{ Params: z.infer<typeof IdParams> }>(
    '/api/rules/:id',
    { schema: { params: jsonSchema(IdParams), response: responses(Ok) } },
    async (req, reply) => {
      if (!(await need(service, 'Rules').delete(req.params.id, contextOf(req, reply)))) throw notFound('rule', req.params.id);
      return { ok: true as const };
    },
  );
};
