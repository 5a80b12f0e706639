// The demo home on the network: one HTTP server carrying HA's REST API and, on /api/websocket,
// its WebSocket API. What `npm start` connects to when no Home Assistant is configured, and what
// tests use in place of HA. Tests and demos drive it through setState(), read what was asked of it
// through serviceCalls()/notifications(), and cut connections with dropConnections()/restart().
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Clock } from '../../core/clock.ts';
import { DemoHomeCore } from './core.ts';
import { handleRest } from './rest.ts';
import type { RecordedNotification, RecordedServiceCall } from './services.ts';
import type { DemoState, SetStateOptions } from './states.ts';
import { WsSession } from './ws-session.ts';

export interface DemoHomeOptions {
  /** 0 (the default) picks a free port; restart() reuses the one picked. */
  port?: number;
  host?: string;
  /** The long-lived access token clients must present; random when not given. */
  token?: string;
  clock?: Clock;
  haVersion?: string;
}

export class DemoHome {
  readonly core: DemoHomeCore;
  readonly #host: string;
  readonly #requestedPort: number;
  #accessToken: string;
  #server: Server | undefined;
  #wss: WebSocketServer | undefined;
  #boundPort = 0;
  readonly #sessions = new Set<WsSession>();
  readonly #sockets = new Set<Socket>();

  constructor({ port = 0, host = '127.0.0.1', token, clock, haVersion }: DemoHomeOptions = {}) {
    this.core = new DemoHomeCore({ clock, haVersion });
    this.#host = host;
    this.#requestedPort = port;
    this.#accessToken = token ?? randomBytes(24).toString('base64url');
  }

  /** http://host:port, what a client uses as HA_URL. */
  get url(): string {
    return `http://${this.#host}:${this.port}`;
  }

  /** The port bound (kept across stop/start), or the one asked for before the first start. */
  get port(): number {
    const port = this.#boundPort || this.#requestedPort;
    if (!port) throw new Error('demo home has not started yet: its port is not known');
    return port;
  }

  get token(): string {
    return this.#accessToken;
  }

  /** Replaces the valid token (a revoked token: connected clients keep going, reconnects fail). */
  setToken(token: string): void {
    this.#accessToken = token;
  }

  async start(): Promise<void> {
    if (this.#server) return;
    const server = createServer((req, res) => void handleRest(this.core, this.#accessToken, req, res));
    const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
    server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
    server.on('upgrade', (req, socket, head) => {
      const path = new URL(req.url ?? '/', 'http://demo.local').pathname;
      if (path !== '/api/websocket') {
        socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        const session = new WsSession(ws, this.core, () => this.#accessToken, () => this.#sessions.delete(session));
        this.#sessions.add(session);
        session.start();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#boundPort || this.#requestedPort, this.#host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#boundPort = (server.address() as AddressInfo).port;
    this.#server = server;
    this.#wss = wss;
  }

  /** Stops listening and cuts every connection; the house (states, registries, records) stays. */
  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    this.dropConnections();
    this.#wss?.close();
    this.#wss = undefined;
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Stop and start again on the same port, as an HA restart looks to its clients. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Kills every WebSocket session from the server side (no close handshake). */
  dropConnections(): void {
    for (const session of [...this.#sessions]) session.kill();
  }

  /** Authenticated-or-not WebSocket sessions currently open. */
  connectionCount(): number {
    return this.#sessions.size;
  }

  // ---- the house, for tests and demos ----

  /** Sets an entity's state as an integration would; attributes merge unless replaceAttributes. */
  setState(entityId: string, state: string, attributes?: Record<string, unknown>, options?: SetStateOptions): DemoState {
    return this.core.states.set(entityId, state, attributes, options);
  }

  getState(entityId: string): DemoState | undefined {
    return this.core.states.get(entityId);
  }

  removeState(entityId: string): boolean {
    return this.core.states.remove(entityId);
  }

  fireEvent(eventType: string, data: Record<string, unknown> = {}): void {
    this.core.bus.fire(eventType, data);
  }

  serviceCalls(): readonly RecordedServiceCall[] {
    return this.core.services.recorded();
  }

  notifications(): readonly RecordedNotification[] {
    return this.core.services.notifications();
  }

  onServiceCall(listener: (call: RecordedServiceCall) => void): () => void {
    return this.core.services.onCall(listener);
  }

  clearRecords(): void {
    this.core.services.clearRecords();
  }

  /** Writes a history point (e.g. last week's temperatures, for a backtest). */
  recordHistory(entityId: string, state: string, attributes: Record<string, unknown>, at: number): void {
    this.core.history.record(entityId, state, attributes, at);
  }
}
