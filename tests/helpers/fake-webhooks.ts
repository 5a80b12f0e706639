// A local HTTP server standing in for Slack, Discord, Telegram, ntfy and generic webhooks. Its
// `fetchImpl` sends requests for the real services' hosts here instead (the path keeps the host:
// https://hooks.slack.com/services/x arrives as /hooks.slack.com/services/x), so the sender still
// recognises the service from the URL it was given. Other URLs (http://127.0.0.1:<port>/...) pass
// through. `respond` scripts answers; `hold` keeps a request unanswered until released.
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ScriptedAnswer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Never answered (until close). */
  hold?: boolean;
}

export interface FakeWebhooks {
  /** http://127.0.0.1:<port> */
  origin: string;
  received: ReceivedWebhook[];
  /** Answers for paths starting with prefix (the latest matching script wins; default 200/204). */
  respond(prefix: string, answer: (req: ReceivedWebhook) => ScriptedAnswer): void;
  fetchImpl: typeof fetch;
  close(): Promise<void>;
}

const REROUTED = ['hooks.slack.com', 'discord.com', 'api.telegram.org', 'ntfy.sh', 'evil.example'];

export async function startFakeWebhooks(): Promise<FakeWebhooks> {
  const received: ReceivedWebhook[] = [];
  const scripts: { prefix: string; answer: (req: ReceivedWebhook) => ScriptedAnswer }[] = [];
  const held: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: ReceivedWebhook = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(r);
      const script = scripts.findLast((s) => r.path.startsWith(s.prefix));
      const a = script ? script.answer(r) : { status: r.path.startsWith('/hooks.slack.com') ? 200 : 204, body: r.path.startsWith('/hooks.slack.com') ? 'ok' : '' };
      if (a.hold) {
        held.push(res);
        return;
      }
      res.writeHead(a.status, a.headers);
      res.end(a.body ?? '');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fetchImpl: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const rerouted = REROUTED.includes(url.hostname) ? `${origin}/${url.hostname}${url.pathname}${url.search}` : url.toString();
    return fetch(rerouted, init);
  };
  return {
    origin,
    received,
    respond: (prefix, answer) => scripts.push({ prefix, answer }),
    fetchImpl,
    close: async () => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
