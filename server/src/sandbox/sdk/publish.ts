import { z } from 'zod';
import { SdkError } from '../errors.ts';
import { jsonSize } from '../json.ts';
import { formatBytes } from '../limits.ts';
import { TopicName } from '../schemas.ts';
import { defineSdk } from './define.ts';

export const publish = defineSdk({
  name: 'publish',
  path: 'publish',
  scope: 'publish',
  mode: 'async',
  args: z.tuple([TopicName, z.json().nullish()]),
  doc: {
    signature: 'agent.publish(topic, data)',
    returns: 'a promise resolved once the broker accepted the message',
    description: 'Publishes data (any JSON value; objects are best, their field names are recorded for other agents) to an MQTT topic. At most 256 KB per message.',
    example: "await agent.publish('custom/energy/summary', { kwh: 12.4, day: '2026-01-01' });",
  },
  async run(ctx, [topic, data]) {
    const size = jsonSize(data);
    if (size > ctx.limits.maxMessageBytes) {
      const message = `agent.publish: the message for ${topic} is ${formatBytes(size)}, over the ${formatBytes(ctx.limits.maxMessageBytes)} limit; it was not sent`;
      ctx.report({ phase: 'sdk', severity: 'warning', message });
      throw new SdkError(message);
    }
    await ctx.host.publish(topic, data ?? null);
  },
});
