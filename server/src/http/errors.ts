// One error handler for the whole API: errors are JSON `{error: {code, message}}`; a 4xx keeps
// its message (it tells the client what to fix), an unexpected 5xx hides internals behind a
// generic message and is logged in full. HttpError and ServiceError are deliberate: their code
// and message are written for the client, so they pass through even as a 503.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ServiceError } from '../contract/service-error.ts';

export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: string;
  constructor(statusCode: number, code: string, message: string) {
    super(message);
    this.statusCode = statusCode;
    this.code = code;
  }
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | HttpError | ServiceError, request, reply) => {
    const status = err.statusCode ?? 500;
    if (err instanceof HttpError || err instanceof ServiceError) {
      if (status >= 500) request.log.warn({ code: err.code }, err.message);
      return reply.status(status).send({ error: { code: err.code, message: err.message } });
    }
    if (status >= 500) {
      request.log.error({ err }, 'request failed');
      return reply.status(status).send({ error: { code: 'internal_error', message: 'Internal server error' } });
    }
    const code = err.validation ? 'invalid_request' : (err.code ?? 'bad_request').toLowerCase();
    return reply.status(status).send({ error: { code, message: err.message } });
  });
  app.setNotFoundHandler((request, reply) => {
    return reply.status(404).send({ error: { code: 'not_found', message: `No route for ${request.method} ${request.url.split('?')[0]}` } });
  });
}

/**
 * Errors the router raises before any route or hook runs (a URL that does not decode, a path
 * segment past maxParamLength). Fastify answers them in its own shape unless given this; the
 * message names no path, since the path is what was wrong and can be long.
 */
export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (err.code === 'FST_ERR_BAD_URL') {
    void reply.status(400).send({ error: { code: 'bad_url', message: 'The URL is not validly percent-encoded' } });
  } else if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void reply.status(414).send({ error: { code: 'uri_too_long', message: 'A path segment of the URL is too long' } });
  } else {
    request.log.error({ err }, 'request failed');
    void reply.status(500).send({ error: { code: 'internal_error', message: 'Internal server error' } });
  }
}
