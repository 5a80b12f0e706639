// A WebSocket client for tests of /api/ws: collects every server message and waits for one that
// matches, failing with what it did receive rather than hanging.
import { WebSocket } from 'ws';
import type { ServerMessage } from '../../server/src/contract/ws-protocol.ts';

export interface LiveClient {
  ws: WebSocket;
  messages: ServerMessage[];
  send(msg: unknown): void;
  next<T extends ServerMessage>(match: (m: ServerMessage) => m is T, timeoutMs?: number): Promise<T>;
  closed: Promise<number>;
}

export function connectLive(url: string, protocols: string[] = ['wactorz.v1'], headers: Record<string, string> = {}): Promise<LiveClient> {
  const ws = new WebSocket(url, protocols, { headers });
  const messages: ServerMessage[] = [];
  let cursor = 0;
  const waiters = new Set<() => void>();
  ws.on('message', (data: Buffer) => {
    messages.push(JSON.parse(data.toString('utf8')) as ServerMessage);
    waiters.forEach((w) => w());
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  const client: LiveClient = {
    ws,
    messages,
    closed,
    send: (msg) => ws.send(JSON.stringify(msg)),
    // Messages are consumed in order: next() returns the first match after the previous one.
    next: (match, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          for (; cursor < messages.length; cursor++) {
            const m = messages[cursor];
            if (match(m)) {
              cursor++;
              waiters.delete(check);
              clearTimeout(timer);
              return resolve(m);
            }
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching message; received ${JSON.stringify(messages)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (req, res) => {
      req.destroy();
      reject(new Error(`HTTP ${res.statusCode}`));
    });
    ws.once('error', reject);
  });
}

export const is =
  <K extends ServerMessage['type']>(type: K) =>
  (m: ServerMessage): m is Extract<ServerMessage, { type: K }> =>
    m.type === type;
