// How a chat channel reports itself in GET /api/health: each channel says whether it is off (no
// token), connecting, connected, retrying after a dropped connection, or stopped for good (a
// token the platform refused: retrying would only be refused again). Lives with the channels.
import { z } from 'zod';

export const ChannelName = z.enum(['telegram', 'discord', 'whatsapp']);
export type ChannelName = z.infer<typeof ChannelName>;

export const ChannelHealth = z.object({
  state: z.enum(['starting', 'connected', 'reconnecting', 'failed']),
  /** Why it is not connected, for the owner: "the bot token was refused (401)". Never a secret. */
  error: z.string().optional(),
  /** The bot's own name on the platform once known (@wactorz_bot). */
  account: z.string().optional(),
});
export type ChannelHealth = z.infer<typeof ChannelHealth>;

export const ChannelsHealth = z.partialRecord(ChannelName, ChannelHealth);
export type ChannelsHealth = z.infer<typeof ChannelsHealth>;
