// Malformed payloads on subscribed topics are counted by the bus and reported here. A flood (a
// misbehaving device, someone fuzzing the broker) must not turn into a flood of log lines: the
// first report in a window is logged with how many were dropped since the last line.
import type { Clock } from '../core/clock.ts';
import type { Bus, Unsubscribe } from './bus.ts';

export interface WarnSink {
  warn(obj: object, msg: string): void;
}

export function logMalformed(bus: Bus, log: WarnSink, clock: Clock, windowMs = 10_000): Unsubscribe {
  let lastAt = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return bus.onMalformed((r) => {
    const now = clock.now();
    if (now - lastAt < windowMs) {
      suppressed++;
      return;
    }
    log.warn({ topic: r.topic, error: r.error, ...(suppressed > 0 ? { suppressed } : {}) }, 'malformed payload dropped');
    lastAt = now;
    suppressed = 0;
  });
}
