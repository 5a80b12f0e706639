// The WhatsApp channel when its options are set: the channel, the webhook route, and that route's
// path for the access guard (Meta calls it without our API key; the route checks Meta's signature).
// Its modules are imported only when the channel is configured.
import type { ChannelFactory } from '../channels/start.ts';

export const whatsappChannelFactory: ChannelFactory = {
  async create({ config, runner, logger, fetchImpl }) {
    const wa = config.channels.whatsapp;
    if (!wa) return undefined;
    const [{ WhatsAppChannel }, { WHATSAPP_WEBHOOK_PATH, whatsappWebhook }] = await Promise.all([import('./channel.ts'), import('./webhook.ts')]);
    const channel = new WhatsAppChannel({ settings: wa, runner, logger: logger.child({ channel: 'whatsapp' }), fetchImpl });
    const routes = whatsappWebhook({ appSecret: wa.appSecret, verifyToken: wa.verifyToken, phoneNumberId: wa.phoneNumberId, onMessages: (m) => channel.receive(m) });
    return { channel, routes, webhookPaths: [WHATSAPP_WEBHOOK_PATH] };
  },
};
