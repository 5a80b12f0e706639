// Talking to a running server the way the panel does: subscribe to the conversation's live topic
// on /api/ws, then POST /api/chat; deltas stream in over the WebSocket while the POST runs, and
// the POST's answer is the final reply. Without a WebSocket the answer still arrives, all at once.
import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import type { ChatEvent } from '../../contract/chat.ts';
import type { ChatSession, TurnOutput } from './session.ts';
import { TurnNotes } from './turn-notes.ts';

interface LiveMessage {
  type: string;
  event?: { type: string; conversation_id?: string; event?: ChatEvent };
}

export async function startRemoteSession(url: string, apiKey: string | undefined, conversationId?: string): Promise<ChatSession> {
  const id = conversationId ?? `cli-${randomBytes(6).toString('base64url')}`;
  const headers: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
  const health = await fetch(`${url}/api/health`, { headers }).catch((err: unknown) => {
    throw new Error(`Cannot reach Wactorz at ${url}: ${err instanceof Error ? err.message : String(err)}. Start it (npm start) or use --local.`);
  });
  if (!health.ok) throw new Error(`Wactorz at ${url} answered ${health.status} to /api/health.`);

  let current: TurnOutput | undefined;
  const notes = new TurnNotes();
  const ws = await openLive(url, apiKey, id, (m) => {
    const live = m.event;
    const e = live?.event;
    if (!current || m.type !== 'event' || live?.type !== 'chat' || live.conversation_id !== id || !e) return;
    if (e.type === 'delta') current.text(e.text);
    else notes.add(e);
  });

  return {
    label: `${url}${ws ? '' : ' (no live stream: answers arrive whole)'}`,
    conversationId: id,
    async send(text, out) {
      let streamed = '';
      notes.after(''); // a failed turn's leftovers
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
        for (const line of notes.after(reply)) out.note(line);
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
