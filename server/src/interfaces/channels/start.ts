// Starts the chat channels whose tokens are set. Each factory returns undefined when its channel
// is not configured; a channel that cannot start (a refused token, an unreachable platform) is
// logged and reported in health, and costs only itself.
import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../../config/types.ts';
import type { Logger } from '../../logger.ts';
import type { ChatChannel, TurnRunner } from './channel.ts';
import type { ChannelRegistry } from './registry.ts';
import { whatsappChannelFactory } from '../whatsapp/start.ts';
import { discordChannel } from '../discord/start.ts';
import { telegramFactory } from '../telegram/start.ts';

export interface ChannelDeps {
  config: Config;
  runner: TurnRunner;
  logger: Logger;
  fetchImpl?: typeof fetch;
}

export interface ChannelFactory {
  /**
   * The channel when it is configured, with the HTTP routes it needs, if any: a webhook the
   * platform calls without our credentials is named in `webhookPaths` (the access guard lets those
   * exact paths through, and the route authenticates each call itself).
   */
  create(deps: ChannelDeps): Promise<{ channel: ChatChannel; routes?: FastifyPluginAsync; webhookPaths?: readonly string[] } | undefined>;
}

export interface ChannelRoutes {
  routes: FastifyPluginAsync[];
  webhookPaths: string[];
}

/** Every channel module registers itself here; each imports its channel (and SDK) only when configured. */
const FACTORIES: readonly ChannelFactory[] = [
  telegramFactory,
  discordChannel,
  whatsappChannelFactory,
];

/** Creates the configured channels (before the HTTP server is built, so webhooks get routes). */
export async function createChannels(deps: ChannelDeps, registry: ChannelRegistry, factories: readonly ChannelFactory[] = FACTORIES): Promise<ChannelRoutes> {
  const out: ChannelRoutes = { routes: [], webhookPaths: [] };
  for (const factory of factories) {
    const made = await factory.create(deps);
    if (!made) continue;
    registry.add(made.channel);
    if (made.routes) out.routes.push(made.routes);
    out.webhookPaths.push(...(made.webhookPaths ?? []));
  }
  return out;
}

/** Starts them in the background; each one's failure is its own. */
export function startChannels(registry: ChannelRegistry, logger: Logger): void {
  for (const name of ['telegram', 'discord', 'whatsapp'] as const) {
    const channel = registry.get(name);
    if (!channel) continue;
    channel.start().then(
      () => logger.info({ channel: name, ...channel.health() }, `${name} channel started`),
      (err: unknown) => logger.error({ err, channel: name }, `${name} channel could not start; the rest of Wactorz runs`),
    );
  }
}
