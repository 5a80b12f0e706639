import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../server/src/core/clock.ts';
import { numericValue, StreamWindow } from '../../../server/src/bus/stream-window.ts';

function setup(options: { seconds?: number; maxSamples?: number; field?: string } = { seconds: 60 }) {
  const clock = new ManualClock();
  return { clock, w: new StreamWindow({ clock, ...options }) };
}

async function feed(clock: ManualClock, w: StreamWindow, values: unknown[], stepMs = 1000): Promise<void> {
  for (const v of values) {
    w.push(v);
    await clock.advance(stepMs);
  }
}

describe('StreamWindow construction', () => {
  it('needs a bound and rejects nonsense bounds', () => {
    const clock = new ManualClock();
    expect(() => new StreamWindow({ clock })).toThrow(/seconds and\/or maxSamples/);
    expect(() => new StreamWindow({ clock, seconds: 0 })).toThrow(RangeError);
    expect(() => new StreamWindow({ clock, maxSamples: 1.5 })).toThrow(RangeError);
  });
});

describe('empty window', () => {
  it('answers null or false rather than NaN', () => {
    const { w } = setup();
    expect(w.count()).toBe(0);
    expect(w.values()).toEqual([]);
    expect(w.mean()).toBeNull();
    expect(w.min()).toBeNull();
    expect(w.max()).toBeNull();
    expect(w.change()).toBeNull();
    expect(w.latest()).toBeNull();
    expect(w.rising()).toBe(false);
    expect(w.falling()).toBe(false);
    expect(w.stable(10)).toBe(false);
    expect(w.eventCount('detected')).toBe(0);
    expect(w.stats()).toMatchObject({ count: 0, numeric: 0, mean: null, oldest_at: null, newest_at: null });
  });
});

describe('numeric extraction', () => {
  it('reads a number, {value}, {state}, numeric strings, named and dotted fields', () => {
    expect(numericValue(21.5)).toBe(21.5);
    expect(numericValue('21.5')).toBe(21.5);
    expect(numericValue({ value: 3 })).toBe(3);
    expect(numericValue({ state: '18.2' })).toBe(18.2);
    expect(numericValue({ temp: 30 }, 'temp')).toBe(30);
    expect(numericValue({ new_state: { state: '7' } }, 'new_state.state')).toBe(7);
  });

  it('skips what is not a finite number', () => {
    for (const v of [true, null, 'unavailable', '', NaN, Infinity, { other: 1 }, [1, 2]]) expect(numericValue(v)).toBeUndefined();
  });

  it('computes over numeric samples only while counting every sample', async () => {
    const { clock, w } = setup();
    await feed(clock, w, [{ temp: 10 }, { temp: 'unavailable' }, { temp: '20' }, 'garbage', { temp: 30 }]);
    expect(w.count()).toBe(5);
    expect(w.values('temp')).toEqual([10, 20, 30]);
    expect(w.mean('temp')).toBe(20);
    expect(w.min('temp')).toBe(10);
    expect(w.max('temp')).toBe(30);
  });

  it('uses the window default field when none is given', async () => {
    const { clock, w } = setup({ seconds: 60, field: 'humidity' });
    await feed(clock, w, [{ temp: 1, humidity: 40 }, { temp: 2, humidity: 50 }]);
    expect(w.mean()).toBe(45);
    expect(w.mean('temp')).toBe(1.5);
  });
});

describe('rising / falling / stable', () => {
  it('rising means last - first > 0 and >= threshold, across noise', async () => {
    const { clock, w } = setup();
    await feed(clock, w, [20, 25, 19, 23.5]);
    expect(w.change()).toBe(3.5);
    expect(w.rising(3)).toBe(true);
    expect(w.rising(3.5)).toBe(true);
    expect(w.rising(4)).toBe(false);
    expect(w.falling()).toBe(false);
  });

  it('falling mirrors rising', async () => {
    const { clock, w } = setup();
    await feed(clock, w, [30, 31, 26]);
    expect(w.falling(4)).toBe(true);
    expect(w.falling(5)).toBe(false);
    expect(w.rising()).toBe(false);
  });

  it('a flat series is neither rising nor falling, even with threshold 0', async () => {
    const { clock, w } = setup();
    await feed(clock, w, [5, 9, 5]);
    expect(w.rising(0)).toBe(false);
    expect(w.falling(0)).toBe(false);
  });

  it('needs two numeric samples', async () => {
    const { clock, w } = setup();
    await feed(clock, w, [5, 'x']);
    expect(w.rising()).toBe(false);
    expect(w.stable(100)).toBe(false);
  });

  it('stable means max - min within tolerance', async () => {
    const { clock, w } = setup();
    await feed(clock, w, [20, 20.4, 19.8]);
    expect(w.stable(0.6)).toBe(true);
    expect(w.stable(0.5)).toBe(false);
  });

  it('refuses negative thresholds instead of guessing', () => {
    const { w } = setup();
    expect(() => w.rising(-1)).toThrow(RangeError);
    expect(() => w.stable(-0.1)).toThrow(RangeError);
    expect(() => w.absentFor(-5)).toThrow(RangeError);
  });
});

describe('expiry', () => {
  it('drops samples older than the window as the clock advances, keeping the boundary sample', async () => {
    const { clock, w } = setup({ seconds: 10 });
    w.push(1);
    await clock.advance(5000);
    w.push(2);
    await clock.advance(5000);
    expect(w.values()).toEqual([1, 2]);
    await clock.advance(1);
    expect(w.values()).toEqual([2]);
    await clock.advance(5000);
    expect(w.count()).toBe(0);
    expect(w.mean()).toBeNull();
  });

  it('keeps only the newest maxSamples', async () => {
    const { clock, w } = setup({ maxSamples: 3 });
    await feed(clock, w, [1, 2, 3, 4, 5]);
    expect(w.values()).toEqual([3, 4, 5]);
  });

  it('places late samples in time order and ignores ones already out of the window', async () => {
    const { clock, w } = setup({ seconds: 10 });
    await clock.advance(20_000);
    const now = clock.now();
    w.push(3, now);
    w.push(1, now - 5000);
    w.push(2, now - 2000);
    w.push(0, now - 60_000);
    expect(w.values()).toEqual([1, 2, 3]);
    expect(w.rising(2)).toBe(true);
  });
});

describe('absentFor', () => {
  it('counts from the last arrival, surviving expiry of the samples themselves', async () => {
    const { clock, w } = setup({ seconds: 5 });
    w.push(1);
    await clock.advance(30_000);
    expect(w.count()).toBe(0);
    expect(w.absentFor(30)).toBe(true);
    expect(w.absent_for(31)).toBe(false);
    w.push(2);
    expect(w.absentFor(1)).toBe(false);
  });

  it('counts from creation when nothing ever arrived', async () => {
    const { clock, w } = setup();
    await clock.advance(59_000);
    expect(w.absentFor(60)).toBe(false);
    await clock.advance(1000);
    expect(w.absentFor(60)).toBe(true);
  });
});

describe('eventCount', () => {
  it('accepts a predicate, a field and value, a truthy field, or an object of paths', async () => {
    const { clock, w } = setup();
    await feed(clock, w, [
      { detected: true, label: 'person', box: { score: 0.9 } },
      { detected: false, label: 'cat', box: { score: 0.4 } },
      { detected: true, label: 'person', box: { score: 0.7 } },
      'on',
    ]);
    expect(w.eventCount((p) => p === 'on')).toBe(1);
    expect(w.eventCount('label', 'person')).toBe(2);
    expect(w.event_count('detected')).toBe(2);
    expect(w.eventCount({ detected: true, 'box.score': 0.7 })).toBe(1);
  });

  it('compares HA string states with numbers and booleans by text', async () => {
    const { clock, w } = setup();
    await feed(clock, w, [{ state: '1' }, { state: 'true' }, { state: 1 }]);
    expect(w.eventCount('state', 1)).toBe(2);
    expect(w.eventCount('state', true)).toBe(1);
  });

  it('tells eventCount(field, undefined) from eventCount(field)', async () => {
    const { clock, w } = setup();
    await feed(clock, w, [{ a: 1 }, { b: 1 }]);
    expect(w.eventCount('a')).toBe(1);
    expect(w.eventCount('a', undefined)).toBe(1);
  });

  it('rejects a matcher it cannot use', () => {
    const { w } = setup();
    w.push(1);
    expect(() => w.eventCount(42 as never)).toThrow(TypeError);
  });
});

describe('latest, payloads, stats', () => {
  it('returns the newest payload or a field of it', async () => {
    const { clock, w } = setup();
    await feed(clock, w, [{ temp: 1 }, { temp: 2, room: { name: 'kitchen' } }]);
    expect(w.latest()).toEqual({ temp: 2, room: { name: 'kitchen' } });
    expect(w.latest('room.name')).toBe('kitchen');
    expect(w.latest('missing')).toBeNull();
    expect(w.payloads()).toHaveLength(2);
  });

  it('summarises the window as JSON-safe stats', async () => {
    const { clock, w } = setup();
    const start = clock.now();
    await feed(clock, w, [4, 8]);
    expect(w.stats()).toEqual({ count: 2, numeric: 2, mean: 6, min: 4, max: 8, change: 4, latest: 8, oldest_at: start, newest_at: start + 1000 });
    w.clear();
    expect(w.count()).toBe(0);
  });
});
