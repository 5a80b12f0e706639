// A bare Home Assistant WebSocket client for the benchmarks' baselines: what a hand-written
// integration does (auth, coalesced messages, one subscription, service calls), without the
// product's client, so the product is measured against the least the same work can cost.
import { WebSocket } from 'ws';
import type { DemoHome } from '../server/src/ha/demo/demo-home.ts';

export interface RawHa {
  /** Sends a command with the next id. */
  send(command: Record<string, unknown>): void;
  close(): Promise<void>;
}

/**
 * Opens the socket, authenticates, subscribes with `subscription` (id 2) and resolves once HA
 * acknowledged it; every event of that subscription goes to `onEvent`.
 */
export async function openRawHa(home: DemoHome, subscription: Record<string, unknown>, onEvent: (event: unknown) => void): Promise<RawHa> {
  const ws = new WebSocket(`${home.url.replace(/^http/, 'ws')}/api/websocket`);
  let id = 10;
  await new Promise<void>((resolve, reject) => {
    ws.on('error', reject);
    ws.on('message', (data: Buffer) => {
      const parsed = JSON.parse(data.toString('utf8')) as Record<string, unknown> | Record<string, unknown>[];
      for (const msg of Array.isArray(parsed) ? parsed : [parsed]) {
        if (msg.type === 'auth_required') ws.send(JSON.stringify({ type: 'auth', access_token: home.token }));
        else if (msg.type === 'auth_ok') {
          ws.send(JSON.stringify({ id: 1, type: 'supported_features', features: { coalesce_messages: 1 } }));
          ws.send(JSON.stringify({ id: 2, ...subscription }));
        } else if (msg.type === 'result' && msg.id === 2) resolve();
        else if (msg.type === 'event' && msg.id === 2) onEvent(msg.event);
      }
    });
  });
  return {
    send: (command) => ws.send(JSON.stringify({ id: ++id, ...command })),
    close: async () => {
      ws.close();
      await new Promise((r) => ws.once('close', r));
    },
  };
}
