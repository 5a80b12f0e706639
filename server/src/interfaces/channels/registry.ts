// The channels that are on, by name: health for GET /api/health, delivery for notifications
// (`telegram:<chat id>` and the like), and one stop for all.
import type { ChatChannel } from './channel.ts';
import type { ChannelName, ChannelsHealth } from './health.ts';

/** `telegram:123456` → {channel, to}; undefined when the target names no chat channel. */
export function parseChannelTarget(target: string): { channel: ChannelName; to: string } | undefined {
  const m = /^(telegram|discord|whatsapp):(.+)$/.exec(target.trim());
  if (!m) return undefined;
  const to = m[2].trim();
  return to === '' ? undefined : { channel: m[1] as ChannelName, to };
}

export class ChannelRegistry {
  readonly #channels = new Map<ChannelName, ChatChannel>();

  add(channel: ChatChannel): void {
    this.#channels.set(channel.name, channel);
  }

  get(name: ChannelName): ChatChannel | undefined {
    return this.#channels.get(name);
  }

  health(): ChannelsHealth {
    const out: ChannelsHealth = {};
    for (const [name, c] of this.#channels) out[name] = c.health();
    return out;
  }

  async send(target: string, text: string, signal?: AbortSignal): Promise<void> {
    const parsed = parseChannelTarget(target);
    if (!parsed) throw new Error(`"${target}" is not a chat channel target; use telegram:<chat id>, discord:<user id> or whatsapp:<number>`);
    const channel = this.#channels.get(parsed.channel);
    if (!channel) throw new Error(`The ${parsed.channel} channel is not set up (add its token in the add-on options)`);
    await channel.send(parsed.to, text, signal);
  }

  /** A notification (agent.notify, a rule's notify.chat_channel): its title, if any, on the first line. */
  async notify(target: string, title: string | undefined, message: string, signal?: AbortSignal): Promise<void> {
    await this.send(target, title ? `${title}\n${message}` : message, signal);
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.#channels.values()].map((c) => c.stop()));
  }
}
