// The access guard as a Fastify plugin: one onRequest hook in front of every route (the
// WebSocket upgrade and the panel's static files included) applies access-policy.ts and
// attaches the caller's identity to the request.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { decideAccess, type AccessPolicy } from './access-policy.ts';
import type { Identity } from '../contract/identity.ts';
import { HttpError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling; null only for the loopback health check. */
    identity: Identity | null;
  }
}

export interface AccessOptions {
  policy: AccessPolicy;
}

const plugin: FastifyPluginAsync<AccessOptions> = async (app, { policy }) => {
  app.decorateRequest('identity', null);
  app.addHook('onRequest', async (request, reply) => {
    const decision = decideAccess(
      { ip: request.ip ?? '', path: request.url.split('?')[0] ?? '', headers: request.headers },
      policy,
    );
    if (!decision.allow) {
      if (decision.status === 401) void reply.header('www-authenticate', 'Bearer realm="wactorz"');
      throw new HttpError(decision.status, decision.code, decision.message);
    }
    request.identity = decision.identity;
  });
};

export const accessGuard = fp(plugin, { name: 'wactorz-access', fastify: '5.x' });

/** For handlers that act on someone's behalf: the guard let the request in, so it has a caller. */
export function callerOf(request: FastifyRequest): Identity {
  if (!request.identity) throw new HttpError(401, 'unauthorized', 'This route needs an authenticated caller');
  return request.identity;
}
