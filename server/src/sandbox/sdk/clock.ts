import { z } from 'zod';
import { defineSdk, type IsolateFeature } from './define.ts';

/** The host's injected clock; reached only through the isolate's Date (see `clock` below). */
export const clockNow = defineSdk({
  name: 'clock.now',
  path: null,
  scope: null,
  mode: 'value',
  args: z.tuple([]),
  doc: {
    signature: 'Date.now()',
    returns: 'milliseconds since the epoch, on the system clock',
    description: 'What the isolate\'s Date reads.',
  },
  run(ctx) {
    return ctx.clock.now();
  },
});

/**
 * Agent code's Date follows the system clock, the same time the scheduler, the heartbeats and the
 * rest of Wactorz run on (and that tests drive with a ManualClock): a reminder written as
 * `Date.now() + 3600_000` falls due when process() sees that time, not at some other clock's.
 */
export const clock: IsolateFeature = {
  name: 'clock',
  install: `{
    const RealDate = G.Date;
    const now = () => rt.value('clock.now', []);
    class AgentDate extends RealDate {
      constructor(...args) { if (args.length === 0) super(now()); else super(...args); }
      static now() { return now(); }
    }
    G.Date = new Proxy(AgentDate, { apply() { return new RealDate(now()).toString(); } });
  }`,
  doc: {
    signature: 'Date.now(), new Date()',
    returns: 'the current time',
    description: 'Date is the system clock (the one schedules and poll_interval run on); use it for due times and timestamps.',
    example: "agent.persist('due', Date.now() + 15 * 60 * 1000);",
  },
};
