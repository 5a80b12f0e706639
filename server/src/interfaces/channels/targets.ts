// The chat channel people a rule may notify, from the options: each channel's allow list, as
// targets (`telegram:<user id>`: a user's private chat with the bot has the user's id;
// `discord:<user id>`: a DM; `whatsapp:<number>`). The planner offers them beside HA's notify
// services and refuses any other (agents/planner/validation/services.ts).
import type { ChannelsConfig } from '../../config/types.ts';

export function chatTargets(channels: ChannelsConfig): string[] {
  return [
    ...(channels.telegram?.allowedUsers.map((id) => `telegram:${id}`) ?? []),
    ...(channels.discord?.allowedUsers.map((id) => `discord:${id}`) ?? []),
    ...(channels.whatsapp?.allowedNumbers.map((n) => `whatsapp:${n}`) ?? []),
  ];
}
