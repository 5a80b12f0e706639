import { z } from 'zod';
import { ALERT_SEVERITIES } from '../schemas.ts';
import { defineSdk } from './define.ts';
import { logText } from './log.ts';

export const alert = defineSdk({
  name: 'alert',
  path: 'alert',
  scope: 'alert',
  mode: 'ack',
  args: z.tuple([z.json(), z.enum(ALERT_SEVERITIES).nullish()]),
  doc: {
    signature: 'agent.alert(message, severity = "warning")',
    returns: 'a resolved promise (await optional)',
    description: 'Raises an alert shown to the user (severity: info, warning or critical). Shares the log rate limit. To reach a phone, use agent.notify.',
    example: "await agent.alert('Freezer door open for 10 minutes', 'critical');",
  },
  run(ctx, [message, severity]) {
    if (ctx.allowLogLine()) ctx.host.alert(logText(message, ctx.limits.maxLogChars), severity ?? 'warning');
  },
});
