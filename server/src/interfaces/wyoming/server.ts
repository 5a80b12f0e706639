// The Wyoming TCP server: accepts a connection, decides the peer (peers.ts) before reading a
// byte, then answers events one at a time. What a peer can do to the process is bounded: a
// fixed number of connections (more are told so and closed), a fixed number of events per
// connection (HA opens one per describe or transcript), one turn in flight per connection,
// frame sizes (framing.ts), and an idle timeout. The first malformed frame ends the connection,
// which also stops cross-protocol tricks: a browser's POST to this port starts with an HTTP
// request line, never with a Wyoming header.
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '../../logger.ts';
import { infoData, TranscriptData } from './events.ts';
import { DEFAULT_FRAME_LIMITS, encodeEvent, WYOMING_VERSION, WyomingDecoder, WyomingFrameError, type FrameLimits, type WyomingEvent } from './framing.ts';
import { decidePeer, type PeerPolicy } from './peers.ts';
import { answerTranscript, type TurnRunner, type WyomingChannel } from './turn.ts';

export interface WyomingLimits extends FrameLimits {
  maxConnections: number;
  maxEventsPerConnection: number;
  /** Socket idle timeout (Node's own socket timer; nothing a test needs to drive). */
  idleMs: number;
}

export const DEFAULT_WYOMING_LIMITS: WyomingLimits = { ...DEFAULT_FRAME_LIMITS, maxConnections: 16, maxEventsPerConnection: 64, idleMs: 120_000 };

export interface WyomingServerOptions {
  host: string;
  port: number;
  policy: PeerPolicy;
  /** The orchestrator (undefined answers `not-handled` until it is there). */
  runner: () => TurnRunner | undefined;
  logger: Logger;
  limits?: Partial<WyomingLimits>;
}

export class WyomingServer {
  readonly #opts: WyomingServerOptions;
  readonly #limits: WyomingLimits;
  /** Every open socket, refused ones included (stop() destroys them). */
  readonly #all = new Set<Socket>();
  /** The connections being served (the ones maxConnections counts). */
  readonly #sockets = new Set<Socket>();
  readonly #aborts = new Set<AbortController>();
  #server: Server | undefined;
  #port = 0;

  constructor(opts: WyomingServerOptions) {
    this.#opts = opts;
    this.#limits = { ...DEFAULT_WYOMING_LIMITS, ...opts.limits };
  }

  /** The bound port (useful with port 0). */
  get port(): number {
    return this.#port;
  }

  async start(): Promise<void> {
    const server = createServer((socket) => this.#accept(socket));
    server.on('error', (err) => this.#opts.logger.warn({ err }, 'wyoming server error'));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#opts.port, this.#opts.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const addr = server.address();
    this.#port = typeof addr === 'object' && addr ? addr.port : this.#opts.port;
    this.#server = server;
  }

  async stop(): Promise<void> {
    for (const a of this.#aborts) a.abort(new Error('wyoming server stopping'));
    for (const s of this.#all) s.destroy();
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #accept(socket: Socket): void {
    socket.on('error', () => socket.destroy());
    this.#all.add(socket);
    socket.once('close', () => this.#all.delete(socket));
    const ip = socket.remoteAddress ?? '';
    const decision = decidePeer(ip, this.#opts.policy);
    if (!decision.allow) {
      this.#opts.logger.warn({ peer: ip }, 'wyoming connection refused');
      return closeWith(socket, 'forbidden', decision.reason);
    }
    if (this.#sockets.size >= this.#limits.maxConnections) {
      return closeWith(socket, 'busy', `too many Wyoming connections (at most ${this.#limits.maxConnections})`);
    }
    this.#sockets.add(socket);
    socket.setTimeout(this.#limits.idleMs, () => socket.destroy());
    const abort = new AbortController();
    this.#aborts.add(abort);
    socket.on('close', () => {
      this.#sockets.delete(socket);
      abort.abort(new Error('the Wyoming client left'));
      this.#aborts.delete(abort);
    });
    this.#serve(socket, decision.channel, abort.signal);
  }

  #serve(socket: Socket, channel: WyomingChannel, signal: AbortSignal): void {
    const decoder = new WyomingDecoder(this.#limits);
    const queue: WyomingEvent[] = [];
    let seen = 0;
    let working = false;
    const fail = (code: string, text: string) => closeWith(socket, code, text);
    const drain = async () => {
      if (working) return;
      working = true;
      try {
        while (queue.length > 0 && !socket.destroyed) {
          const ev = queue.shift() as WyomingEvent;
          const reply = await this.#answer(ev, channel, signal);
          if (!socket.destroyed && !socket.writableEnded) socket.write(reply);
        }
      } finally {
        working = false;
      }
    };
    socket.on('data', (chunk: Buffer) => {
      let events: WyomingEvent[];
      try {
        events = decoder.push(chunk);
      } catch (err) {
        return err instanceof WyomingFrameError ? fail(err.code, `${err.message}; closing the connection`) : fail('malformed', 'unreadable frame; closing the connection');
      }
      seen += events.length;
      if (seen > this.#limits.maxEventsPerConnection) return fail('too-many-events', `more than ${this.#limits.maxEventsPerConnection} events on one connection`);
      queue.push(...events);
      drain().catch((err: unknown) => {
        this.#opts.logger.warn({ err }, 'wyoming event failed');
        socket.destroy();
      });
    });
  }

  async #answer(ev: WyomingEvent, channel: WyomingChannel, signal: AbortSignal): Promise<Buffer> {
    switch (ev.type) {
      case 'describe':
        return encodeEvent('info', infoData(WYOMING_VERSION));
      case 'ping':
        return encodeEvent('pong', typeof ev.data.text === 'string' ? { text: ev.data.text.slice(0, 200) } : {});
      case 'transcript': {
        const parsed = TranscriptData.safeParse(ev.data);
        if (!parsed.success) return encodeEvent('error', { text: `transcript data is invalid: ${parsed.error.issues[0]?.message ?? 'bad data'}`, code: 'invalid' });
        const answer = await answerTranscript(this.#opts.runner(), parsed.data, channel, signal);
        this.#opts.logger.info({ channel, handled: answer.type === 'handled', conversation: answer.data.context.conversation_id }, 'wyoming transcript answered');
        return encodeEvent(answer.type, answer.data);
      }
      default:
        return encodeEvent('error', { text: `Wactorz does not handle "${ev.type.slice(0, 100)}" events (it answers describe, ping and transcript)`, code: 'unknown-event' });
    }
  }
}

/**
 * Sends one `error` event and ends the connection. What the peer still sends is read and
 * dropped: a socket nobody reads never sees the peer's end, and would stay open.
 */
function closeWith(socket: Socket, code: string, text: string): void {
  socket.removeAllListeners('data');
  socket.on('data', () => undefined);
  socket.end(encodeEvent('error', { text, code }));
}
