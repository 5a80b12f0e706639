import { z } from 'zod';
import { SdkError } from '../errors.ts';
import { formatMs } from '../limits.ts';
import { defineSdk } from './define.ts';

export const sleep = defineSdk({
  name: 'sleep',
  path: 'sleep',
  scope: null,
  mode: 'async',
  args: z.tuple([z.number().min(0, 'ms must be 0 or more')]),
  doc: {
    signature: 'agent.sleep(ms)',
    returns: 'a promise resolved after ms milliseconds',
    description: 'Waits inside a hook (there is no setTimeout/setInterval). At most 60 s, and at most 100 sleeps pending at once; for periodic work define process(agent) and set poll_interval instead.',
    example: 'await agent.sleep(2000);',
  },
  run(ctx, [ms]) {
    if (ms > ctx.limits.maxSleepMs) throw new SdkError(`agent.sleep: at most ${formatMs(ctx.limits.maxSleepMs)}; for periodic work define process(agent) and set poll_interval`);
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        timer.cancel();
        reject(new SdkError('the agent stopped'));
      };
      const timer = ctx.clock.setTimeout(() => {
        ctx.signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      ctx.signal.addEventListener('abort', onAbort, { once: true });
    });
  },
});
