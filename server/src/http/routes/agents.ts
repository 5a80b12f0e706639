// /api/agents: the Agents view's list and detail, lifecycle commands and delete.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { Agent, AgentCommand, AgentDetail } from '../../contract/agents.ts';
import { Ok } from '../../contract/common.ts';
import { jsonSchema } from '../schema.ts';
import type { AgentsService } from '../../contract/services.ts';
import { contextOf, need, notFound, responses } from './support.ts';

const NameParams = z.object({ name: z.string().min(1).max(128) });
const CommandParams = NameParams.extend({ command: AgentCommand });

export const agentRoutes: FastifyPluginAsync<{ service: AgentsService | undefined }> = async (app, { service }) => {
  app.get('/api/agents', { schema: { response: responses(z.array(Agent)) } }, async () => need(service, 'The agent list').list());

  app.get<{ Params: z.infer<typeof NameParams> }>(
    '/api/agents/:name',
    { schema: { params: jsonSchema(NameParams), response: responses(AgentDetail) } },
    async (req) => {
      const agent = await need(service, 'The agent list').get(req.params.name);
      if (!agent) throw notFound('agent', req.params.name);
      return agent;
    },
  );

  app.post<{ Params: z.infer<typeof CommandParams> }>(
    '/api/agents/:name/:command',
    { schema: { params: jsonSchema(CommandParams), response: responses(Agent) } },
    async (req, reply) => {
      const agent = await need(service, 'Agent control').command(req.params.name, req.params.command, contextOf(req, reply));
      if (!agent) throw notFound('agent', req.params.name);
      return agent;
    },
  );

  app.delete<{ Params: z.infer<typeof NameParams> }>(
    '/api/agents/:name',
    { schema: { params: jsonSchema(NameParams), response: responses(Ok) } },
    async (req, reply) => {
      if (!(await need(service, 'Agent control').delete(req.params.name, contextOf(req, reply)))) throw notFound('agent', req.params.name);
      return { ok: true as const };
    },
  );
};
