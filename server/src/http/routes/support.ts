// Pieces every resource route uses: the 503 for a service the runtime did not provide, the request
// context handed to services, and the error responses each route declares.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { callerOf } from '../access.ts';
import { ErrorBody } from '../../contract/common.ts';
import { jsonSchema } from '../schema.ts';
import { ServiceError } from '../../contract/service-error.ts';
import type { RequestContext } from '../../contract/services.ts';

export function need<T>(service: T | undefined, what: string): T {
  if (service === undefined) throw new ServiceError('unavailable', `${what} is not available yet`);
  return service;
}

/**
 * The request's context. The signal fires only if the client leaves before the reply is sent
 * (the request stream's own 'close' also fires once a body has been read, which is no abort).
 */
export function contextOf(request: FastifyRequest, reply: FastifyReply): RequestContext {
  const ac = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) ac.abort();
  });
  return { identity: callerOf(request), signal: ac.signal };
}

const errorSchema = jsonSchema(ErrorBody);

/** Response schemas: the success body plus the one error shape for every failure. */
export function responses(ok: z.ZodType, status = 200): Record<string, unknown> {
  return { [status]: jsonSchema(ok), '4xx': errorSchema, '5xx': errorSchema };
}

export function notFound(what: string, id: string): ServiceError {
  return new ServiceError('not_found', `No ${what} named "${id}"`);
}
