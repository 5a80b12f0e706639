// The gateway half of the fake: Discord's WebSocket protocol v10, JSON encoding, no compression
// (discord.js asks for zlib-stream only when the optional zlib-sync addon is installed, and it
// is not). HELLO on connect, heartbeats acknowledged, IDENTIFY answered with READY and one
// GUILD_CREATE (or closed with 4004 for a token Discord would refuse, 4014 for a refused
// privileged intent), RESUME answered with RESUMED, and dispatches the tests inject.
import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

/** GatewayIntentBits.MessageContent: privileged, off until enabled in the developer portal. */
const MESSAGE_CONTENT = 1 << 15;

export interface GatewayHooks {
  token: () => string;
  /** When true, an IDENTIFY asking for MESSAGE_CONTENT is closed with 4014, as for an app without it. */
  refuseMessageContent: () => boolean;
  ready: (sessionId: string, resumeUrl: string) => Record<string, unknown>;
  guildCreate: () => Record<string, unknown>;
}

export class FakeGateway {
  readonly #wss: WebSocketServer;
  readonly #hooks: GatewayHooks;
  readonly #url: () => string;
  readonly #sessions = new Set<WebSocket>();
  #seq = 0;
  /** Every IDENTIFY's intents, in order. */
  readonly identifies: { intents: number; compress: unknown }[] = [];
  /** Query strings the client connected with (v, encoding, compress). */
  readonly connectQueries: string[] = [];
  resumes = 0;
  #sessionId = 'fake-session-1';

  constructor(server: Server, url: () => string, hooks: GatewayHooks) {
    this.#hooks = hooks;
    this.#url = url;
    this.#wss = new WebSocketServer({ server });
    this.#wss.on('connection', (ws, req) => this.#accept(ws, req.url ?? ''));
  }

  get connected(): number {
    return this.#sessions.size;
  }

  dispatch(t: string, d: unknown): void {
    const seq = ++this.#seq;
    for (const ws of this.#sessions) ws.send(JSON.stringify({ op: 0, t, s: seq, d }));
  }

  /** Closes every session with `code` (4000 = unknown error: discord.js resumes; 4004 = auth failed: it stops). */
  drop(code: number): void {
    for (const ws of this.#sessions) ws.close(code, 'fake gateway drop');
    this.#sessions.clear();
  }

  async close(): Promise<void> {
    for (const ws of this.#wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #accept(ws: WebSocket, url: string): void {
    this.connectQueries.push(url.slice(url.indexOf('?') + 1));
    ws.on('message', (raw: Buffer) => this.#onPayload(ws, JSON.parse(raw.toString('utf8')) as { op: number; d: Record<string, unknown> | null }));
    ws.on('close', () => this.#sessions.delete(ws));
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 } }));
  }

  #onPayload(ws: WebSocket, p: { op: number; d: Record<string, unknown> | null }): void {
    switch (p.op) {
      case 1:
        ws.send(JSON.stringify({ op: 11 }));
        return;
      case 2: {
        const d = p.d ?? {};
        this.identifies.push({ intents: Number(d.intents), compress: d.compress });
        if (d.token !== this.#hooks.token()) return ws.close(4004, 'Authentication failed.');
        if (this.#hooks.refuseMessageContent() && (Number(d.intents) & MESSAGE_CONTENT) !== 0) return ws.close(4014, 'Disallowed intent(s).');
        this.#sessions.add(ws);
        this.#sessionId = `fake-session-${this.identifies.length}`;
        this.dispatch('READY', this.#hooks.ready(this.#sessionId, this.#url()));
        this.dispatch('GUILD_CREATE', this.#hooks.guildCreate());
        return;
      }
      case 6: {
        const d = p.d ?? {};
        if (d.token !== this.#hooks.token()) return ws.close(4004, 'Authentication failed.');
        this.resumes++;
        this.#sessions.add(ws);
        if (d.session_id !== this.#sessionId) {
          ws.send(JSON.stringify({ op: 9, d: false }));
          return;
        }
        this.dispatch('RESUMED', {});
        return;
      }
      default:
        return; // presence updates and the like: nothing to answer
    }
  }
}
