// The WhatsApp channel when its options are set: the channel, the webhook route, and that route's
// path for the access guard (Meta calls it without our API key; the route checks Meta's signature).
import type { ChannelFactory } from '../channels/start.ts';
import { WhatsAppChannel } from './channel.ts';
import { WHATSAPP_WEBHOOK_PATH, whatsappWebhook } from './webhook.ts';

export const whatsappChannelFactory: ChannelFactory = {
  create({ config, runner, logger, fetchImpl }) {
    const wa = config.channels.whatsapp;
    if (!wa) return undefined;
    const channel = new WhatsAppChannel({ settings: wa, runner, logger: logger.child({ channel: 'whatsapp' }), fetchImpl });
    const routes = whatsappWebhook({ appSecret: wa.appSecret, verifyToken: wa.verifyToken, phoneNumberId: wa.phoneNumberId, onMessages: (m) => channel.receive(m) });
    return { channel, routes, webhookPaths: [WHATSAPP_WEBHOOK_PATH] };
  },
};
