import { z } from 'zod';
import { SdkError } from '../errors.ts';
import { TopicFilter } from '../schemas.ts';
import { readRefusal } from '../topic-access.ts';
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
    description: 'Calls the callback for every message on an MQTT topic filter (+ and # wildcards allowed after the first level), one message at a time, with the parsed payload and the concrete topic. Call it in setup(). A callback that throws is logged and the next message still arrives. Readable: custom/..., ha/state_changes/{domain}/{entity_id} (Home Assistant state changes), agents/{name}/data/... (another agent\'s public data) and other topics agents publish to; other agents\' tasks and replies and the system topics (agents/..., nodes/..., system/...) are refused, and so is a filter starting with + or #. Device topics outside Wactorz (zigbee2mqtt/...) are readable only when the owner listed them in mqtt_read_topics, named as they are.',
    example: "agent.subscribe('ha/state_changes/binary_sensor/+', async (change, topic) => { if (change.new_state?.state === 'on') await agent.log(topic); });",
  },
  run(ctx, [filter, subId]) {
    const refused = readRefusal('agent.subscribe', filter, ctx.host.externalReads);
    if (refused !== undefined) throw new SdkError(refused);
    if (ctx.subscriptions.size >= ctx.limits.maxSubscriptions) throw new SdkError(`agent.subscribe: at most ${ctx.limits.maxSubscriptions} subscriptions per agent`);
    if (ctx.subscriptions.has(subId)) throw new SdkError('agent.subscribe: this subscription already exists');
    const unsubscribe = ctx.host.subscribe(filter, (message) => ctx.deliver(subId, message));
    ctx.subscriptions.set(subId, unsubscribe);
  },
});
