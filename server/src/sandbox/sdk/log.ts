import { z } from 'zod';
import { LOG_LEVELS } from '../schemas.ts';
import { defineSdk } from './define.ts';

/** Text of whatever the agent logged: strings as they are, anything else as JSON. */
export function logText(value: unknown, maxChars: number): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > maxChars ? `${text.slice(0, maxChars)}... (${text.length - maxChars} more characters)` : text;
}

export const log = defineSdk({
  name: 'log',
  path: 'log',
  scope: 'log',
  mode: 'ack',
  args: z.tuple([z.json(), z.enum(LOG_LEVELS).nullish()]),
  doc: {
    signature: 'agent.log(message, level = "info")',
    returns: 'a resolved promise (await optional)',
    description: 'Writes a line to the agent\'s log (shown in the panel). level: debug, info, warn or error. Rate-limited: past the limit lines are dropped and counted. console.log/warn/error write here too.',
    example: "await agent.log('ready');",
  },
  run(ctx, [message, level]) {
    ctx.log(level ?? 'info', logText(message, ctx.limits.maxLogChars));
  },
});
