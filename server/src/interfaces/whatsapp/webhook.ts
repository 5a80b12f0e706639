// The webhook Meta calls: `GET` is the subscription handshake (echo `hub.challenge` when
// `hub.verify_token` is ours), `POST` delivers messages signed with the app secret. The access
// guard lets this one path through without our API key (start.ts names it in `webhookPaths`), so
// every call authenticates here: no signature, no parsing. Meta retries a webhook that does not
// answer 200 quickly, so the turn runs after the answer.
import type { FastifyPluginAsync } from 'fastify';
import { HttpError } from '../../http/errors.ts';
import { parseWebhook, type Inbound } from './payload.ts';
import { SIGNATURE_HEADER, signatureValid, verifyTokenMatches } from './signature.ts';

export const WHATSAPP_WEBHOOK_PATH = '/api/channels/whatsapp/webhook';

export interface WebhookOptions {
  appSecret: string;
  verifyToken: string;
  phoneNumberId: string;
  onMessages(messages: Inbound[]): void;
}

export function whatsappWebhook(opts: WebhookOptions): FastifyPluginAsync {
  return async (app) => {
    // This plugin's scope only: keep the body's bytes, since the signature is over them exactly.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    app.get(WHATSAPP_WEBHOOK_PATH, async (req, reply) => {
      const q = req.query as Record<string, unknown>;
      const challenge = q['hub.challenge'];
      if (q['hub.mode'] !== 'subscribe' || !verifyTokenMatches(q['hub.verify_token'], opts.verifyToken) || typeof challenge !== 'string') {
        throw new HttpError(403, 'forbidden', 'The verify token does not match whatsapp_verify_token');
      }
      return reply.type('text/plain').send(challenge);
    });

    app.post(WHATSAPP_WEBHOOK_PATH, async (req, reply) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (!signatureValid(raw, req.headers[SIGNATURE_HEADER], opts.appSecret)) {
        throw new HttpError(401, 'invalid_signature', 'The X-Hub-Signature-256 signature does not match the app secret');
      }
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new HttpError(400, 'invalid_json', 'The body is not JSON');
      }
      const messages = parseWebhook(body, opts.phoneNumberId);
      if (!messages) throw new HttpError(400, 'invalid_payload', 'The body is not a WhatsApp webhook');
      await reply.status(200).send({ ok: true });
      if (messages.length > 0) opts.onMessages(messages);
      return reply;
    });
  };
}
