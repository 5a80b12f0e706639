import { z } from 'zod';
import { defineSdk } from './define.ts';
import { logText } from './log.ts';

// Under the `log` scope and its rate limit: a trace step is a log line the rule's timeline keeps.
// Bounded three ways: the log rate per agent, maxTraceChars per step, and the recorder's count per
// agent and rule (agents/planner/traces/).
export const trace = defineSdk({
  name: 'trace',
  path: 'trace',
  scope: 'log',
  mode: 'ack',
  args: z.tuple([z.string().min(1).max(200), z.json().nullish()]),
  doc: {
    signature: 'agent.trace(label, data = null)',
    returns: 'a resolved promise (await optional)',
    description:
      "Adds a step to the trace of the rule this agent belongs to, shown by /rules trace beside the actuator's evaluations (why a rule did or did not fire). label: what was decided, short; data: the values it was decided on (trimmed). Outside a rule it is dropped. Shares the log rate limit.",
    example: "await agent.trace('door open too long', { open_s: 620, limit_s: 600 });",
  },
  run(ctx, [label, data]) {
    if (!ctx.allowLogLine()) return;
    ctx.host.trace?.(label, data === undefined || data === null ? undefined : logText(data, ctx.limits.maxTraceChars));
  },
});
