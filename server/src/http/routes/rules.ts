// /api/rules: the Rules view; enable/disable, delete and rollback act on one rule; its traces and
// versions are read per rule.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { Ok } from '../../contract/common.ts';
import { RuleRollbackBody, RuleRollbackResult, RuleVersion } from '../../contract/rule-versions.ts';
import { Rule, RuleTrace, RuleTracesQuery } from '../../contract/rules.ts';
import { HttpError } from '../errors.ts';
import { jsonSchema } from '../schema.ts';
import type { RulesService } from '../../contract/services.ts';
import { contextOf, need, notFound, responses } from './support.ts';

const IdParams = z.object({ id: z.string().min(1).max(128) });
const ToggleParams = IdParams.extend({ action: z.enum(['enable', 'disable']) });

export const ruleRoutes: FastifyPluginAsync<{ service: RulesService | undefined }> = async (app, { service }) => {
  app.get('/api/rules', { schema: { response: responses(z.array(Rule)) } }, async () => need(service, 'Rules').list());

  // Newest first; from/to (ISO times) narrow the window. Owner-only like the rest of the API: a
  // trace holds the raw messages that reached the rule.
  app.get<{ Params: z.infer<typeof IdParams>; Querystring: z.infer<typeof RuleTracesQuery> }>(
    '/api/rules/:id/traces',
    { schema: { params: jsonSchema(IdParams), querystring: jsonSchema(RuleTracesQuery), response: responses(z.array(RuleTrace)) } },
    async (req) => {
      const rules = need(service, 'Rules');
      if (!rules.traces) throw notFound('rule traces', req.params.id);
      // The JSON schema checked the shape; the zod refinements (a date-time that parses) are checked here.
      const parsed = RuleTracesQuery.safeParse(req.query);
      if (!parsed.success) throw new HttpError(400, 'invalid_request', `querystring: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
      const q = parsed.data;
      const traces = await rules.traces(req.params.id, { limit: q.limit, ...(q.from ? { from: Date.parse(q.from) } : {}), ...(q.to ? { to: Date.parse(q.to) } : {}) });
      if (!traces) throw notFound('rule', req.params.id);
      return traces;
    },
  );

  // Newest first; the one running now is `current`, each with its diff against the one before.
  app.get<{ Params: z.infer<typeof IdParams> }>(
    '/api/rules/:id/versions',
    { schema: { params: jsonSchema(IdParams), response: responses(z.array(RuleVersion)) } },
    async (req) => {
      const rules = need(service, 'Rules');
      if (!rules.versions) throw notFound('rule versions', req.params.id);
      const versions = await rules.versions(req.params.id);
      if (!versions) throw notFound('rule', req.params.id);
      return versions;
    },
  );

  // Performed, not proposed: the owner asks for a version that was approved before; it is checked
  // against the home as it is now, swapped in with the running version restored on failure, and
  // recorded as a new version ("rollback to v2"). 404 unknown rule or version, 409 the current
  // version (or the swap failed), 400 a version that no longer validates.
  app.post<{ Params: z.infer<typeof IdParams>; Body: RuleRollbackBody }>(
    '/api/rules/:id/rollback',
    { schema: { params: jsonSchema(IdParams), body: jsonSchema(RuleRollbackBody), response: responses(RuleRollbackResult) } },
    async (req, reply) => {
      const rules = need(service, 'Rules');
      if (!rules.rollback) throw notFound('rule versions', req.params.id);
      return rules.rollback(req.params.id, req.body.version, contextOf(req, reply));
    },
  );

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
