// Talking to a running server the way the panel does: subscribe to the conversation's live topic
// on /api/ws, then POST /api/chat; deltas stream in over the WebSocket while the POST runs, and
// the POST's answer is the final reply. Without a WebSocket the answer still arrives, all at once.
import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import type { ChatSession, TurnOutput } from './session.ts';

interface LiveMessage {
  type: string;
  event?: { type: string; conversation_id?: string; text?: string; activity?: { kind: string; text: string }; plan?: { id: string; title: string } };
}

export async function startRemoteSession(url: string, apiKey: string | undefined, conversationId?: string): Promise<ChatSession> {
  const id = conversationId ?? `cli-${randomBytes(6).toString('base64url')}`;
  const headers: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
  const health = await fetch(`${url}/api/health`, { headers }).catch((err: unknown) => {
    throw new Error(`Cannot reach Wactorz at ${url}: ${err instanceof Error ? err.message : String(err)}. Start it (npm start) or use --local.`);
  });
  if (!health.ok) throw new Error(`Wactorz at ${url} answered ${health.status} to /api/health.`);

  let current: TurnOutput | undefined;
  const ws = await openLive(url, apiKey, id, (m) => {
    const e = m.event;
    if (!current || m.type !== 'event' || !e || e.conversation_id !== id) return;
    if (e.type === 'chat.delta' && e.text) current.text(e.text);
    // Actuations are what the answer itself reports; other activity goes on its own line.
    else if (e.type === 'chat.activity' && e.activity && e.activity.kind !== 'actuation') current.note(`· ${e.activity.text}`);
    else if (e.type === 'chat.proposal' && e.plan) current.note(`· proposal ${e.plan.id}: ${e.plan.title} (/plans show ${e.plan.id})`);
  });

  return {
    label: `${url}${ws ? '' : ' (no live stream: answers arrive whole)'}`,
    conversationId: id,
    async send(text, out) {
      let streamed = '';
      current = { text: (t) => ((streamed += t), out.text(t)), note: out.note };
      try {
        const res = await fetch(`${url}/api/chat`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ message: text, conversation_id: id }),
        });
        const body = (await res.json()) as { reply?: string; error?: { message: string } };
        if (!res.ok) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
        const reply = body.reply ?? '';
        // Whatever the live stream did not deliver (no socket, or events still in flight).
        if (reply.startsWith(streamed)) out.text(reply.slice(streamed.length));
        return reply;
      } finally {
        current = undefined;
      }
    },
    async close() {
      ws?.close();
    },
  };
}

function openLive(url: string, apiKey: string | undefined, conversationId: string, onMessage: (m: LiveMessage) => void): Promise<WebSocket | undefined> {
  const protocols = ['wactorz.v1', ...(apiKey ? [`wactorz.bearer.${Buffer.from(apiKey).toString('base64url')}`] : [])];
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/ws`, protocols);
  return new Promise((resolve) => {
    ws.once('open', () => ws.send(JSON.stringify({ type: 'subscribe', topics: [`chat/${conversationId}`] })));
    ws.on('message', (data: Buffer) => {
      let m: LiveMessage;
      try {
        m = JSON.parse(data.toString('utf8')) as LiveMessage;
      } catch {
        return;
      }
      if (m.type === 'subscribed') resolve(ws);
      onMessage(m);
    });
    // No live stream is not fatal: the POST still answers.
    ws.once('error', () => resolve(undefined));
    ws.once('unexpected-response', () => resolve(undefined));
  });
}
