// One WebSocket client of the demo home, through HA's two phases (websocket_api/http.py and
// auth.py): auth_required -> auth {access_token} -> auth_ok, or auth_invalid and the socket is
// closed; then commands with strictly increasing integer ids, answered by result/event/pong frames.
// A client that announced `coalesce_messages` gets frames queued in the same turn sent as one
// JSON array, as HA does.
import type { RawData, WebSocket } from 'ws';
import type { DemoHomeCore } from './core.ts';
import { COMMANDS, type Command, type CommandSession } from './ws-commands.ts';
import { CommandError, ERR, authInvalid, authOk, authRequired, errorMessage, type OutgoingFrame } from './protocol.ts';

export class WsSession implements CommandSession {
  readonly home: DemoHomeCore;
  readonly userId: string;
  readonly #socket: WebSocket;
  readonly #token: () => string;
  #phase: 'auth' | 'command' | 'closed' = 'auth';
  #lastId = 0;
  #coalesce = false;
  #pending: string[] = [];
  #flushScheduled = false;
  #finished = false;
  readonly #subscriptions = new Map<number, () => void>();
  readonly #onClose: () => void;

  constructor(socket: WebSocket, home: DemoHomeCore, token: () => string, onClose: () => void) {
    this.#socket = socket;
    this.home = home;
    this.userId = home.userId;
    this.#token = token;
    this.#onClose = onClose;
  }

  start(): void {
    this.#socket.on('message', (data, isBinary) => this.#receive(isBinary ? '' : rawText(data)));
    this.#socket.on('close', () => this.#closed());
    this.#socket.on('error', () => this.#closed());
    this.#write(authRequired(this.home.haVersion));
  }

  send(frame: OutgoingFrame): void {
    if (this.#phase === 'closed') return;
    const text = JSON.stringify(frame);
    if (!this.#coalesce) {
      this.#socket.send(text);
      return;
    }
    this.#pending.push(text);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => this.#flush());
    }
  }

  addSubscription(id: number, unsubscribe: () => void): void {
    this.#subscriptions.set(id, unsubscribe);
  }

  removeSubscription(id: number): boolean {
    const unsubscribe = this.#subscriptions.get(id);
    if (!unsubscribe) return false;
    this.#subscriptions.delete(id);
    unsubscribe();
    return true;
  }

  enableFeatures(features: Record<string, unknown>): void {
    if (features.coalesce_messages) this.#coalesce = true;
  }

  subscriptionCount(): number {
    return this.#subscriptions.size;
  }

  /** Ends the session from the server side without a close handshake (a crash, a network cut). */
  kill(): void {
    this.#socket.terminate();
    this.#closed();
  }

  #receive(text: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // HA: "Received invalid JSON." and the connection is closed.
      this.#socket.close(1003, 'Received invalid JSON.');
      this.#closed();
      return;
    }
    if (this.#phase === 'auth') return this.#authenticate(parsed);
    if (this.#phase !== 'command') return;
    for (const msg of Array.isArray(parsed) ? parsed : [parsed]) this.#command(msg);
  }

  #authenticate(msg: unknown): void {
    const m = msg as { type?: unknown; access_token?: unknown };
    if (typeof m !== 'object' || m === null || m.type !== 'auth' || typeof m.access_token !== 'string') {
      this.#write(authInvalid("Auth message incorrectly formatted: required key not provided @ data['type']"));
      return this.#reject();
    }
    if (m.access_token !== this.#token()) {
      this.#write(authInvalid('Invalid access token or password'));
      return this.#reject();
    }
    this.#phase = 'command';
    this.#write(authOk(this.home.haVersion));
  }

  #command(raw: unknown): void {
    const msg = raw as Partial<Command>;
    if (typeof msg !== 'object' || msg === null || typeof msg.id !== 'number' || !Number.isInteger(msg.id) || typeof msg.type !== 'string') {
      const id = typeof msg === 'object' && msg !== null && typeof msg.id === 'number' ? msg.id : null;
      this.send(errorMessage(id, ERR.INVALID_FORMAT, 'Message incorrectly formatted.'));
      return;
    }
    const cmd = msg as Command;
    if (cmd.id <= this.#lastId) {
      this.send(errorMessage(cmd.id, ERR.ID_REUSE, 'Identifier values have to increase.'));
      return;
    }
    this.#lastId = cmd.id;
    const handler = COMMANDS[cmd.type];
    if (!handler) {
      this.send(errorMessage(cmd.id, ERR.UNKNOWN_COMMAND, 'Unknown command.'));
      return;
    }
    try {
      handler(this, cmd);
    } catch (err) {
      if (err instanceof CommandError) this.send(errorMessage(cmd.id, err.code, err.message, err.extra));
      else this.send(errorMessage(cmd.id, ERR.UNKNOWN_ERROR, 'Unknown error'));
    }
  }

  #write(frame: OutgoingFrame): void {
    this.#socket.send(JSON.stringify(frame));
  }

  #reject(): void {
    this.#socket.close();
    this.#closed();
  }

  #flush(): void {
    this.#flushScheduled = false;
    const frames = this.#pending;
    this.#pending = [];
    if (this.#phase === 'closed' || frames.length === 0) return;
    this.#socket.send(frames.length === 1 ? frames[0] : `[${frames.join(',')}]`);
  }

  #closed(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#phase = 'closed';
    this.#pending = [];
    for (const unsubscribe of this.#subscriptions.values()) unsubscribe();
    this.#subscriptions.clear();
    this.#onClose();
  }
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
}
