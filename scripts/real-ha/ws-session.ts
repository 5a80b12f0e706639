// A minimal HA WebSocket session for provisioning (auth, then numbered commands): the product's
// client needs a token, and provisioning is what makes one.
import { WebSocket } from 'ws';

export interface HaSocket {
  command<T = unknown>(msg: Record<string, unknown>): Promise<T>;
  close(): void;
}

export function openHaSocket(url: string, accessToken: string): Promise<HaSocket> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/websocket`);
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.on('close', () => {
      for (const p of pending.values()) p.reject(new Error('Home Assistant closed the WebSocket'));
      pending.clear();
    });
    ws.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString('utf8')) as { type: string; id?: number; success?: boolean; result?: unknown; error?: { code: string; message: string }; message?: string };
      if (msg.type === 'auth_required') ws.send(JSON.stringify({ type: 'auth', access_token: accessToken }));
      else if (msg.type === 'auth_invalid') reject(new Error(`Home Assistant refused the token: ${msg.message ?? ''}`));
      else if (msg.type === 'auth_ok') {
        resolve({
          command: <T>(body: Record<string, unknown>) =>
            new Promise<T>((res, rej) => {
              const id = nextId++;
              pending.set(id, { resolve: res as (v: unknown) => void, reject: rej });
              ws.send(JSON.stringify({ ...body, id }));
            }),
          close: () => ws.close(),
        });
      } else if (msg.type === 'result' && msg.id !== undefined) {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (!p) return;
        if (msg.success) p.resolve(msg.result);
        else p.reject(new Error(`${msg.error?.code ?? 'error'}: ${msg.error?.message ?? 'no message'}`));
      }
    });
  });
}
