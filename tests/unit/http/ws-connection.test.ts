// LiveConnection with a fake socket and a manual clock: subscriptions, replay, pings and the
// slow-consumer cut-off.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../server/src/core/clock.ts';
import type { Identity } from '../../../server/src/contract/identity.ts';
import { LiveHub } from '../../../server/src/http/live-hub.ts';
import { LiveConnection, type LiveSocket } from '../../../server/src/http/ws-connection.ts';
import type { ServerMessage } from '../../../server/src/contract/ws-protocol.ts';

const user: Identity = { userId: 'u1', userName: 'anna', displayName: 'Anna', via: 'ingress' };

class FakeSocket implements LiveSocket {
  bufferedAmount = 0;
  sent: ServerMessage[] = [];
  pings = 0;
  terminated = false;
  send(data: string): void {
    this.sent.push(JSON.parse(data) as ServerMessage);
  }
  ping(): void {
    this.pings++;
  }
  terminate(): void {
    this.terminated = true;
  }
  events(): unknown[] {
    return this.sent.flatMap((m) => (m.type === 'event' ? [m.event] : []));
  }
}

function setup(opts: { maxBufferedBytes?: number } = {}) {
  const clock = new ManualClock();
  const hub = new LiveHub({ clock });
  const socket = new FakeSocket();
  const drops: string[] = [];
  const conn = new LiveConnection(socket, { hub, clock, identity: user, pingIntervalMs: 1000, onDrop: (r) => drops.push(r), ...opts });
  conn.start();
  return { clock, hub, socket, conn, drops };
}

describe('LiveConnection', () => {
  it('greets with the boot id, current seq and the user', () => {
    const { socket, hub } = setup();
    expect(socket.sent[0]).toEqual({ type: 'hello', boot_id: hub.bootId, seq: 0, ping_interval_ms: 1000, user });
  });

  it('delivers only the subscribed topics', () => {
    const { socket, hub, conn } = setup();
    conn.onMessage(JSON.stringify({ type: 'subscribe', topics: ['chat/c1', 'agents'] }));
    hub.publish({ type: 'chat', conversation_id: 'c1', event: { type: 'delta', text: 'Hel' } });
    hub.publish({ type: 'chat', conversation_id: 'c2', event: { type: 'delta', text: 'other' } });
    hub.publish({ type: 'agent.state', agent: 'a', state: 'stopped' });
    expect(socket.events()).toEqual([
      { type: 'chat', conversation_id: 'c1', event: { type: 'delta', text: 'Hel' } },
      { type: 'agent.state', agent: 'a', state: 'stopped' },
    ]);
    conn.onMessage(JSON.stringify({ type: 'unsubscribe', topics: ['agents'] }));
    hub.publish({ type: 'agent.state', agent: 'a', state: 'running' });
    expect(socket.events()).toHaveLength(2);
  });

  it('replays missed events to a client resuming on the same boot', () => {
    const { hub, clock } = setup();
    hub.publish({ type: 'chat', conversation_id: 'c1', event: { type: 'delta', text: 'a' } });
    hub.publish({ type: 'chat', conversation_id: 'c1', event: { type: 'delta', text: 'b' } });
    const socket = new FakeSocket();
    const again = new LiveConnection(socket, { hub, clock, identity: user });
    again.start();
    again.onMessage(JSON.stringify({ type: 'subscribe', topics: ['chat/c1'], since: 1, boot_id: hub.bootId }));
    expect(socket.sent.slice(1)).toMatchObject([
      { type: 'event', seq: 2, topic: 'chat/c1', event: { event: { text: 'b' } } },
      { type: 'subscribed', topics: ['chat/c1'], replayed: 1 },
    ]);
    expect(socket.sent).toHaveLength(3);
  });

  it('asks a client from an earlier boot, or one too far behind, to refetch', () => {
    const { socket, conn } = setup();
    conn.onMessage(JSON.stringify({ type: 'subscribe', topics: ['agents'], since: 7, boot_id: 'another-boot' }));
    expect(socket.sent.slice(1)).toEqual([
      { type: 'resync', topics: ['agents'], reason: 'restarted' },
      { type: 'subscribed', topics: ['agents'], replayed: 0 },
    ]);
  });

  it('answers bad input with an error and stays open', () => {
    const { socket, conn } = setup();
    conn.onMessage('{not json');
    conn.onMessage(JSON.stringify({ type: 'subscribe', topics: ['../../etc'] }));
    conn.onMessage(JSON.stringify({ type: 'ping' }));
    expect(socket.sent.slice(1).map((m) => (m.type === 'error' ? m.code : m.type))).toEqual(['invalid_json', 'invalid_message', 'pong']);
    expect(socket.terminated).toBe(false);
  });

  it('pings every interval and drops a peer that stops answering', async () => {
    const { socket, clock, conn, hub, drops } = setup();
    await clock.advance(1000);
    expect(socket.pings).toBe(1);
    conn.onPong();
    await clock.advance(1000);
    expect(socket.pings).toBe(2);
    await clock.advance(1000);
    expect(socket.terminated).toBe(true);
    expect(drops).toEqual(['unresponsive']);
    expect(hub.listenerCount()).toBe(0);
    expect(clock.pending()).toBe(0);
  });

  it('cuts off a client whose socket backs up instead of buffering without bound', () => {
    const { socket, hub, conn, drops } = setup({ maxBufferedBytes: 1000 });
    conn.onMessage(JSON.stringify({ type: 'subscribe', topics: ['chat/*'] }));
    hub.publish({ type: 'chat', conversation_id: 'c', event: { type: 'delta', text: 'fits' } });
    socket.bufferedAmount = 5000;
    hub.publish({ type: 'chat', conversation_id: 'c', event: { type: 'delta', text: 'too much' } });
    hub.publish({ type: 'chat', conversation_id: 'c', event: { type: 'delta', text: 'after' } });
    expect(socket.events()).toEqual([{ type: 'chat', conversation_id: 'c', event: { type: 'delta', text: 'fits' } }]);
    expect(socket.terminated).toBe(true);
    expect(drops).toEqual(['slow']);
    expect(hub.listenerCount()).toBe(0);
  });

  it('releases its listener and timer on dispose', () => {
    const { hub, clock, conn } = setup();
    conn.dispose();
    expect(hub.listenerCount()).toBe(0);
    expect(clock.pending()).toBe(0);
  });
});
