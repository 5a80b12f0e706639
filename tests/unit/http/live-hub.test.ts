import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../server/src/core/clock.ts';
import type { LiveEvent } from '../../../server/src/contract/live-events.ts';
import { topicMatches } from '../../../server/src/contract/live-events.ts';
import { LiveHub, type LiveEnvelope } from '../../../server/src/http/live-hub.ts';

const delta = (conversation: string, text: string): LiveEvent => ({ type: 'chat', conversation_id: conversation, event: { type: 'delta', text } });

describe('LiveHub', () => {
  it('numbers, stamps and routes events to their topic', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 2));
    const hub = new LiveHub({ clock });
    const seen: LiveEnvelope[] = [];
    hub.on((e) => seen.push(e));
    hub.publish(delta('c1', 'Hi'));
    hub.publish({ type: 'agent.log', agent: 'energy', level: 'info', message: 'm', at: '2026-01-02T00:00:00.000Z' });
    hub.publish({ type: 'cost.update', provider: 'openai', agent: 'main', usd: 0.01, spent_today_usd: 0.3 });
    expect(seen.map((e) => [e.seq, e.topic])).toEqual([[1, 'chat/c1'], [2, 'logs/energy'], [3, 'cost']]);
    expect(seen[0]?.at).toBe('2026-01-02T00:00:00.000Z');
  });

  it('drops and reports a malformed event instead of throwing at the publisher', () => {
    const errors: string[] = [];
    const hub = new LiveHub({ onError: (_e, ctx) => errors.push(ctx) });
    const seen: LiveEnvelope[] = [];
    hub.on((e) => seen.push(e));
    expect(hub.publish({ type: 'agent.state', agent: 'x', state: 'exploded' } as unknown as LiveEvent)).toBeUndefined();
    expect(seen).toEqual([]);
    expect(errors).toEqual(['invalid live event agent.state']);
  });

  it('keeps delivering to the other listeners when one throws', () => {
    const errors: string[] = [];
    const hub = new LiveHub({ onError: (_e, ctx) => errors.push(ctx) });
    const seen: number[] = [];
    hub.on(() => {
      throw new Error('boom');
    });
    hub.on((e) => seen.push(e.seq));
    hub.publish(delta('c', 'a'));
    expect(seen).toEqual([1]);
    expect(errors).toEqual(['live listener failed']);
  });

  it('removes every listener of an owner', () => {
    const hub = new LiveHub();
    const owner = {};
    hub.on(() => {}, owner);
    hub.on(() => {}, owner);
    const off = hub.on(() => {});
    hub.removeOwner(owner);
    expect(hub.listenerCount()).toBe(1);
    off();
    expect(hub.listenerCount()).toBe(0);
  });

  it('replays what a reconnecting client missed, and admits a gap once the ring has moved on', () => {
    const hub = new LiveHub({ history: 3 });
    for (let i = 1; i <= 5; i++) hub.publish(delta(i % 2 ? 'odd' : 'even', String(i)));
    // The ring now holds seq 3, 4, 5.
    expect(hub.since(2, ['chat/*'])?.map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(hub.since(3, ['chat/odd'])?.map((e) => e.seq)).toEqual([5]);
    expect(hub.since(5, ['chat/*'])).toEqual([]);
    expect(hub.since(1, ['chat/*'])).toBeUndefined();
    // A seq from the future belongs to an earlier boot of the server.
    expect(hub.since(99, ['chat/*'])).toBeUndefined();
  });

  it('matches exact topics and trailing wildcards only', () => {
    expect(topicMatches('agents', 'agents')).toBe(true);
    expect(topicMatches('chat/*', 'chat/abc')).toBe(true);
    expect(topicMatches('chat/*', 'chatter/abc')).toBe(false);
    expect(topicMatches('chat/a', 'chat/ab')).toBe(false);
  });
});
