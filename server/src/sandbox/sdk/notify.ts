import { z } from 'zod';
import { SdkError } from '../errors.ts';
import { Notification } from '../schemas.ts';
import { defineSdk } from './define.ts';

export const notify = defineSdk({
  name: 'notify',
  path: 'notify',
  scope: 'notify',
  mode: 'async',
  args: z.tuple([z.union([z.string(), z.record(z.string(), z.json())]), z.record(z.string(), z.json()).nullish()]),
  doc: {
    signature: 'agent.notify(message, { title, target, data })',
    returns: 'a promise resolved once Home Assistant (or the chat channel, or the webhook) accepted the notification',
    description: 'Sends a notification through Home Assistant (a phone with the companion app, or the default notify service), a chat channel or a saved webhook. target is a notify service such as mobile_app_pixel_7, a chat target: telegram:<user id>, discord:<user id>, whatsapp:<number>, or webhook:<name> for a webhook saved with /webhook (webhook:slack, webhook:discord, webhook:telegram).',
    example: "await agent.notify('Front door opened', { title: 'Home' });",
  },
  run(ctx, [message, options]) {
    const raw = typeof message === 'string' ? { ...options, message } : { ...message, ...options };
    const parsed = Notification.safeParse(raw);
    if (!parsed.success) throw new SdkError(`agent.notify: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'notification'}: ${i.message}`).join('; ')}`);
    return ctx.host.notify(parsed.data, ctx.signal);
  },
});
