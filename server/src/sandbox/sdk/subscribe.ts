import { z } from 'zod';
import { SdkError } from '../errors.ts';
import { TopicFilter } from '../schemas.ts';
import { defineSdk } from './define.ts';

export const subscribe = defineSdk({
  name: 'subscribe',
  path: 'subscribe',
  scope: 'subscribe',
  mode: 'ack',
  args: z.tuple([TopicFilter, z.number().int().positive()]),
  shim: `function (rt, name) {
    return function subscribe(topic, callback) {
      if (typeof callback !== 'function') throw new rt.Error('agent.subscribe(topic, callback): callback must be a function');
      const id = rt.addSubscriber(callback);
      try { return rt.ack(name, [topic, id]); } catch (err) { rt.removeSubscriber(id); throw err; }
    };
  }`,
  doc: {
    signature: 'agent.subscribe(topic, async (data, topic) => { ... })',
    returns: 'a resolved promise (await optional)',
    description: 'Calls the callback for every message on an MQTT topic filter (+ and # wildcards allowed), one message at a time, with the parsed payload and the concrete topic. Call it in setup(). A callback that throws is logged and the next message still arrives.',
    example: "agent.subscribe('home/state/binary_sensor/+', async (data, topic) => { if (data.state === 'on') await agent.log(topic); });",
  },
  run(ctx, [filter, subId]) {
    if (ctx.subscriptions.size >= ctx.limits.maxSubscriptions) throw new SdkError(`agent.subscribe: at most ${ctx.limits.maxSubscriptions} subscriptions per agent`);
    if (ctx.subscriptions.has(subId)) throw new SdkError('agent.subscribe: this subscription already exists');
    const unsubscribe = ctx.host.subscribe(filter, (message) => ctx.deliver(subId, message));
    ctx.subscriptions.set(subId, unsubscribe);
  },
});
