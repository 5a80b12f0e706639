// /api/agents/:name/grants: what the owner let a spawned agent's code do beyond the sandbox (a
// lock, an alarm panel, a garage door). A sensitive grant needs {"confirm": true}; the panel asks
// the owner first. Nothing an LLM writes reaches these routes.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { AgentGrants, GrantBody, GrantPreview } from '../../contract/agents.ts';
import type { AgentGrantsService } from '../../contract/services.ts';
import { jsonSchema } from '../schema.ts';
import { contextOf, need, notFound, responses } from './support.ts';

const NameParams = z.object({ name: z.string().min(1).max(128) });
const GrantParams = NameParams.extend({ grant: z.string().min(1).max(200) });

export const agentGrantRoutes: FastifyPluginAsync<{ service: AgentGrantsService | undefined }> = async (app, { service }) => {
  app.get<{ Params: z.infer<typeof NameParams> }>(
    '/api/agents/:name/grants',
    { schema: { params: jsonSchema(NameParams), response: responses(AgentGrants) } },
    async (req) => {
      const grants = await need(service, 'Agent grants').get(req.params.name);
      if (!grants) throw notFound('spawned agent', req.params.name);
      return grants;
    },
  );

  app.get<{ Params: z.infer<typeof GrantParams> }>(
    '/api/agents/:name/grants/:grant',
    { schema: { params: jsonSchema(GrantParams), response: responses(GrantPreview) } },
    async (req) => need(service, 'Agent grants').preview(req.params.name, req.params.grant),
  );

  app.put<{ Params: z.infer<typeof GrantParams>; Body: GrantBody | undefined }>(
    '/api/agents/:name/grants/:grant',
    { schema: { params: jsonSchema(GrantParams), body: jsonSchema(GrantBody), response: responses(AgentGrants) } },
    async (req, reply) => need(service, 'Agent grants').grant(req.params.name, req.params.grant, req.body?.confirm === true, contextOf(req, reply)),
  );

  app.delete<{ Params: z.infer<typeof GrantParams> }>(
    '/api/agents/:name/grants/:grant',
    { schema: { params: jsonSchema(GrantParams), response: responses(AgentGrants) } },
    async (req, reply) => need(service, 'Agent grants').revoke(req.params.name, req.params.grant, contextOf(req, reply)),
  );
};
