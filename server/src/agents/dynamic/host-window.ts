// An agent's `agent.window(topic, seconds)`: a StreamWindow on the host, fed by a subscription on
// the shared bus (ref-counted there, so a hundred windows on one topic are one broker
// subscription, and never an MQTT connection of their own). The isolate only ever holds the
// window's number; each query crosses as a plain value.
import type { Bus, Unsubscribe } from '../../bus/bus.ts';
import { StreamWindow } from '../../bus/stream-window.ts';
import type { Clock } from '../../core/clock.ts';
import { SdkError } from '../../sandbox/errors.ts';
import type { HostWindow, Json, WindowOptions, WindowQuery } from '../../sandbox/types.ts';
import { decodePayload } from './payload.ts';

// Only the raw subscription: the edge runner's link has it too, so a window opens there alike.
export function openHostWindow(bus: Pick<Bus, 'subscribeRaw'>, filter: string, options: WindowOptions, clock: Clock, owner: object): HostWindow {
  const window = new StreamWindow({ clock, seconds: options.seconds, ...(options.maxEvents !== undefined ? { maxSamples: options.maxEvents } : {}) });
  // Arrival times, for event_count(seconds) over a part of the window.
  const arrivals: number[] = [];
  const keep = options.maxEvents ?? 10_000;
  const unsubscribe: Unsubscribe = bus.subscribeRaw(
    filter,
    (_topic, payload) => {
      const at = clock.now();
      window.push(decodePayload(payload), at);
      arrivals.push(at);
      if (arrivals.length > keep) arrivals.splice(0, arrivals.length - keep);
    },
    owner,
  );
  let closed = false;
  return {
    query: (q) => {
      try {
        return runQuery(window, arrivals, q, clock.now(), options.seconds);
      } catch (err) {
        // StreamWindow refuses negative thresholds and the like with a RangeError: the agent's mistake.
        throw new SdkError(`window.${q.op}: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    close: () => {
      if (closed) return;
      closed = true;
      unsubscribe();
    },
  };
}

function runQuery(w: StreamWindow, arrivals: readonly number[], q: WindowQuery, now: number, span: number): Json {
  switch (q.op) {
    case 'mean':
      return w.mean(q.field);
    case 'min':
      return w.min(q.field);
    case 'max':
      return w.max(q.field);
    case 'latest':
      return w.latest(q.field) as Json;
    case 'values':
      return w.values(q.field);
    case 'count':
      return w.count();
    case 'rising':
      return w.rising(q.threshold ?? 0, q.field);
    case 'falling':
      return w.falling(q.threshold ?? 0, q.field);
    case 'stable':
      return w.stable(q.tolerance ?? 0, q.field);
    case 'absent_for':
      return w.absentFor(q.seconds);
    case 'event_count': {
      const seconds = Math.min(q.seconds ?? span, span);
      const since = now - seconds * 1000;
      return arrivals.filter((at) => at >= since).length;
    }
  }
}
