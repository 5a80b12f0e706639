// A real TCP client speaking Wyoming, for tests: sends events (through the server's own encoder,
// which the framing tests check against the reference format) and collects whole events until
// the server closes or the wanted count arrives.
import { connect, type Socket } from 'node:net';
import { encodeEvent, WyomingDecoder, type WyomingEvent } from '../../server/src/interfaces/wyoming/framing.ts';

export interface WyomingTestClient {
  send(type: string, data?: Record<string, unknown>): void;
  raw(bytes: string | Buffer): void;
  /** Resolves with the first `count` events, or all events when the server closes first. */
  next(count?: number): Promise<WyomingEvent[]>;
  /** Resolves when the server has closed the connection. */
  closed: Promise<void>;
  close(): void;
}

export async function wyomingClient(port: number, host = '127.0.0.1'): Promise<WyomingTestClient> {
  const socket: Socket = connect(port, host);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const decoder = new WyomingDecoder({ maxLineBytes: 1 << 20, maxDataBytes: 1 << 20, maxPayloadBytes: 1 << 20 });
  const events: WyomingEvent[] = [];
  let ended = false;
  const waiters: (() => void)[] = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  socket.on('data', (c: Buffer) => {
    events.push(...decoder.push(c));
    wake();
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => {
    ended = true;
    wake();
    resolve();
  }));
  socket.on('error', () => undefined);
  return {
    send: (type, data) => void socket.write(encodeEvent(type, data)),
    raw: (bytes) => void socket.write(bytes),
    async next(count = 1) {
      while (events.length < count && !ended) await new Promise<void>((r) => waiters.push(r));
      return events.splice(0, count);
    },
    closed,
    close: () => socket.destroy(),
  };
}
