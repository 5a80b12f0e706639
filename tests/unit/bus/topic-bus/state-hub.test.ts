import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../server/src/core/clock.ts';
import { SharedStateHub } from '../../../../server/src/bus/topic-bus/state-hub.ts';

describe('SharedStateHub', () => {
  it('keeps the latest value per topic with when and who', async () => {
    const clock = new ManualClock();
    const hub = new SharedStateHub(clock);
    hub.observe('home/state/light/kitchen', { state: 'off' });
    await clock.advance(1000);
    hub.observe('home/state/light/kitchen', { state: 'on' }, 'state-bridge');
    expect(hub.get('home/state/light/kitchen')).toEqual({ state: 'on' });
    expect(hub.entry('home/state/light/kitchen')).toEqual({ value: { state: 'on' }, at: clock.now(), publisher: 'state-bridge' });
    expect(hub.size).toBe(1);
  });

  it('clears a topic on an empty payload, as an empty retained message does', () => {
    const hub = new SharedStateHub(new ManualClock());
    hub.observe('home/presence/hall', true);
    hub.observe('home/presence/hall', '');
    expect(hub.has('home/presence/hall')).toBe(false);
    hub.observe('x', 0);
    expect(hub.get('x')).toBe(0);
  });

  it('snapshots by filter, sorted by topic', () => {
    const hub = new SharedStateHub(new ManualClock());
    hub.observe('home/state/sensor/b', 2);
    hub.observe('home/energy/current', 350);
    hub.observe('home/state/sensor/a', 1);
    expect(hub.snapshot('home/state/#')).toEqual({ 'home/state/sensor/a': 1, 'home/state/sensor/b': 2 });
    expect(Object.keys(hub.snapshot())).toEqual(['home/energy/current', 'home/state/sensor/a', 'home/state/sensor/b']);
  });

  it('lists stale topics and bounds its size', async () => {
    const clock = new ManualClock();
    const hub = new SharedStateHub(clock, { maxTopics: 2 });
    hub.observe('a', 1);
    await clock.advance(10_000);
    hub.observe('b', 1);
    expect(hub.staleTopics(5_000)).toEqual(['a']);
    hub.observe('c', 1);
    expect(Object.keys(hub.snapshot())).toEqual(['b', 'c']);
    hub.clear();
    expect(hub.size).toBe(0);
  });
});
