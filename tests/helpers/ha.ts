// Home Assistant for tests: the demo home on an ephemeral port, a real client connected to it,
// a raw WebSocket speaking HA's protocol frame by frame, and waits that fail with what they saw.
import { WebSocket } from 'ws';
import type { HassEntity } from 'home-assistant-js-websocket';
import type { Clock } from '../../server/src/core/clock.ts';
import { DemoHome, type DemoHomeOptions } from '../../server/src/ha/demo/demo-home.ts';
import { HaError } from '../../server/src/ha/errors.ts';
import { LiveHaClient } from '../../server/src/ha/live-client.ts';
import { endpointsFor } from '../../server/src/ha/target.ts';
import { createLogger, type Logger } from '../../server/src/logger.ts';

export const quietLogger = (): Logger => createLogger('silent');

/** A started demo home on 127.0.0.1 and a free port; call stop() after. */
export async function startDemoHome(options: DemoHomeOptions = {}): Promise<DemoHome> {
  const home = new DemoHome({ token: 'test-token-0123456789', ...options });
  await home.start();
  return home;
}

export interface ClientOptions {
  token?: string;
  clock?: Clock;
  logger?: Logger;
  retryBaseMs?: number;
}

/** A LiveHaClient pointed at the demo home, started (not necessarily connected: see ready()). */
export async function connectClient(home: DemoHome, { token, clock, logger, retryBaseMs }: ClientOptions = {}): Promise<LiveHaClient> {
  const client = new LiveHaClient({ endpoints: endpointsFor('direct', home.url, token ?? home.token), logger: logger ?? quietLogger(), clock, retryBaseMs });
  await client.start();
  return client;
}

/** Resolves when `check` returns a value; rejects with `describe()` after timeoutMs. */
export function waitUntil<T>(check: () => T | undefined | false, describe: () => string, subscribe: (wake: () => void) => () => void, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    let off: () => void = () => {};
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${describe()}`));
    }, timeoutMs);
    const test = () => {
      const value = check();
      if (value === undefined || value === false) return false;
      clearTimeout(timer);
      off();
      resolve(value);
      return true;
    };
    if (test()) return;
    off = subscribe(() => void test());
  });
}

/** Waits until the client's cache holds a state of entityId that satisfies `match`. */
export function waitForCachedState(client: LiveHaClient, entityId: string, match: (s: HassEntity | undefined) => boolean, timeoutMs = 5000): Promise<HassEntity | true> {
  return waitUntil(
    () => (match(client.getState(entityId)) ? (client.getState(entityId) ?? true) : undefined),
    () => `${entityId} to match; cache has ${JSON.stringify(client.getState(entityId)?.state)}`,
    (wake) => client.onStateChange(wake),
    timeoutMs,
  );
}

/** Waits for the client's connection state. */
export function waitForConnection(client: LiveHaClient, state: ReturnType<LiveHaClient['connectionState']>, timeoutMs = 8000): Promise<true> {
  return waitUntil(
    () => client.connectionState() === state,
    () => `connection state ${state}; it is ${client.connectionState()}`,
    (wake) => client.onConnectionState(wake),
    timeoutMs,
  );
}

/** The HaError `p` rejects with; anything else it rejects with is thrown, and fulfilling fails. */
export async function haRejection(p: Promise<unknown>): Promise<HaError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof HaError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

export interface RawHaSocket {
  ws: WebSocket;
  /** Every frame received, arrays (coalesced) flattened. */
  frames: Record<string, unknown>[];
  /** Raw text of every WebSocket message (to see coalescing). */
  texts: string[];
  send(msg: unknown): void;
  /** The next frame (in order) that matches; fails listing what arrived. */
  next(match?: (f: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  closed: Promise<number>;
  close(): void;
}

/** A bare WebSocket to the demo home, for protocol-level tests. Nothing is sent automatically. */
export function rawSocket(home: DemoHome): Promise<RawHaSocket> {
  const ws = new WebSocket(`${home.url.replace(/^http/, 'ws')}/api/websocket`);
  const frames: Record<string, unknown>[] = [];
  const texts: string[] = [];
  const waiters = new Set<() => void>();
  let cursor = 0;
  ws.on('message', (data: Buffer) => {
    const text = data.toString('utf8');
    texts.push(text);
    const parsed = JSON.parse(text) as Record<string, unknown> | Record<string, unknown>[];
    frames.push(...(Array.isArray(parsed) ? parsed : [parsed]));
    waiters.forEach((w) => w());
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  const socket: RawHaSocket = {
    ws,
    frames,
    texts,
    closed,
    send: (msg) => ws.send(JSON.stringify(msg)),
    close: () => ws.close(),
    next: (match = () => true, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          for (; cursor < frames.length; cursor++) {
            const f = frames[cursor];
            if (match(f)) {
              cursor++;
              waiters.delete(check);
              clearTimeout(timer);
              resolve(f);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching frame within ${timeoutMs} ms; received: ${JSON.stringify(frames).slice(0, 2000)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(socket));
    ws.once('error', reject);
  });
}

/** Opens a raw socket and completes the auth phase. */
export async function authedSocket(home: DemoHome): Promise<RawHaSocket> {
  const s = await rawSocket(home);
  await s.next((f) => f.type === 'auth_required');
  s.send({ type: 'auth', access_token: home.token });
  await s.next((f) => f.type === 'auth_ok');
  return s;
}
