import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../server/src/core/clock.ts';
import { TopicBus } from '../../../../server/src/bus/topic-bus/topic-bus.ts';

describe('TopicBus', () => {
  it('feeds registry and matching windows from one observed message', async () => {
    const clock = new ManualClock();
    const bus = new TopicBus({ clock });
    const { window, close } = bus.openWindow('sensors/+/temp', { seconds: 60 });
    bus.observe('sensors/kitchen/temp', { value: 20 }, { publisher: 'kitchen' });
    await clock.advance(1000);
    bus.observe('sensors/hall/temp', { value: 23 }, { publisher: 'hall' });
    bus.observe('sensors/hall/humidity', { value: 50 }, { publisher: 'hall' });
    expect(window.values()).toEqual([20, 23]);
    expect(window.rising(3)).toBe(true);
    expect(bus.registry.get('hall')?.observed_samples['sensors/hall/humidity']).toBeDefined();
    close();
    bus.observe('sensors/kitchen/temp', { value: 99 });
    expect(window.count()).toBe(2);
    expect(bus.openWindows).toBe(0);
  });

  it('returns wiring revealed by a publish so the caller can log it', () => {
    const bus = new TopicBus({ clock: new ManualClock() });
    bus.registry.declare('logger', { subscribes: 'sensors/data' });
    expect(bus.observe('sensors/data', { temp: 1 }, { publisher: 'sim' })).toEqual([
      { producer: 'sim', consumer: 'logger', topic: 'sensors/data', via: 'sensors/data' },
    ]);
  });

  it('refuses a window on an invalid filter', () => {
    const bus = new TopicBus({ clock: new ManualClock() });
    expect(() => bus.openWindow('a/#/b', { seconds: 1 })).toThrow(/not a valid MQTT topic filter/);
  });
});
