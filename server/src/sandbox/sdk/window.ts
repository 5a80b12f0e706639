import { z } from 'zod';
import { SdkError } from '../errors.ts';
import { TopicFilter, WindowOptions } from '../schemas.ts';
import { readRefusal } from '../topic-access.ts';
import { defineSdk } from './define.ts';

let nextWindowId = 1;

export const window = defineSdk({
  name: 'window',
  path: 'window',
  scope: 'window',
  mode: 'value',
  args: z.tuple([TopicFilter, z.union([z.number().positive(), WindowOptions]).nullish()]),
  // The window lives on the host; the agent gets an object whose methods ask the host by id.
  shim: `function (rt, name) {
    function opts(v, key) { return v !== null && typeof v === 'object' ? v : v === undefined ? {} : { [key]: v }; }
    return function window(topic, options) {
      const id = rt.value(name, [topic, options === undefined ? null : options]);
      const q = (query) => rt.value('window.query', [id, query]);
      const w = {
        mean: (field) => q({ op: 'mean', field }),
        min: (field) => q({ op: 'min', field }),
        max: (field) => q({ op: 'max', field }),
        latest: (field) => q({ op: 'latest', field }),
        values: (field) => q({ op: 'values', field }),
        count: () => q({ op: 'count' }),
        rising: (o) => { const x = opts(o, 'threshold'); return q({ op: 'rising', threshold: x.threshold, field: x.field }); },
        falling: (o) => { const x = opts(o, 'threshold'); return q({ op: 'falling', threshold: x.threshold, field: x.field }); },
        stable: (o) => { const x = opts(o, 'tolerance'); return q({ op: 'stable', tolerance: x.tolerance, field: x.field }); },
        absent_for: (seconds) => q({ op: 'absent_for', seconds }),
        event_count: (seconds) => q({ op: 'event_count', seconds }),
      };
      w.absentFor = w.absent_for;
      w.eventCount = w.event_count;
      return rt.freeze(w);
    };
  }`,
  doc: {
    signature: 'agent.window(topic, seconds | { seconds, maxEvents })',
    returns: 'a window object (a plain value; await optional) whose methods return plain values: mean(field), min(field), max(field), count(), rising(threshold | { threshold, field }), falling(threshold | { threshold, field }), stable(tolerance | { tolerance, field }), absent_for(seconds), event_count(seconds), latest(field), values(field)',
    description: 'A sliding time window over an MQTT topic, kept by the host: no ring buffer to write. field is a dotted path into each payload ("value" by default for numbers). Create it in setup() and keep it in agent.state. The same topics as agent.subscribe are readable. An empty window (just created, or every sample expired) answers: count() 0, mean/min/max/latest null, values [], rising/falling false, stable false (it needs at least 2 numeric values). absent_for(seconds) counts from the last arrival, or from the window\'s creation when nothing ever arrived, so it is false for the first `seconds` after setup(): do not read a fresh window as "the sensor is silent".',
    example: "agent.state.w = agent.window('sensors/temp', 300);\n// later: if (agent.state.w.rising(3)) await agent.alert('Temperature rising fast');",
  },
  run(ctx, [topic, options]) {
    const refused = readRefusal('agent.window', topic, ctx.host.externalReads);
    if (refused !== undefined) throw new SdkError(refused);
    if (ctx.windows.size >= ctx.limits.maxWindows) throw new SdkError(`agent.window: at most ${ctx.limits.maxWindows} windows per agent`);
    const opts = typeof options === 'number' ? { seconds: options } : (options ?? { seconds: 300 });
    const id = nextWindowId++;
    ctx.windows.set(id, ctx.host.openWindow(topic, opts));
    return id;
  },
});
