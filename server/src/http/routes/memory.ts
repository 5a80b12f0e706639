// /api/memory: what the system remembers, with its source; forget removes one fact, DELETE on
// the collection forgets them all (not /api/memory/facts, which is the URL of a fact keyed "facts").
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { Ok } from '../../contract/common.ts';
import { MemoryClearResult, MemoryFact } from '../../contract/memory.ts';
import { jsonSchema } from '../schema.ts';
import type { MemoryService } from '../../contract/services.ts';
import { contextOf, need, notFound, responses } from './support.ts';

const KeyParams = z.object({ key: z.string().min(1).max(256) });

export const memoryRoutes: FastifyPluginAsync<{ service: MemoryService | undefined }> = async (app, { service }) => {
  app.get('/api/memory', { schema: { response: responses(z.array(MemoryFact)) } }, async () => need(service, 'Memory').list());

  app.delete('/api/memory', { schema: { response: responses(MemoryClearResult) } }, async (req, reply) => ({
    ok: true as const,
    forgotten: await need(service, 'Memory').clear(contextOf(req, reply)),
  }));

  app.delete<{ Params: z.infer<typeof KeyParams> }>(
    '/api/memory/:key',
    { schema: { params: jsonSchema(KeyParams), response: responses(Ok) } },
    async (req, reply) => {
      if (!(await need(service, 'Memory').forget(req.params.key, contextOf(req, reply)))) throw notFound('memory fact', req.params.key);
      return { ok: true as const };
    },
  );
};
