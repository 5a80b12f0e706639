// Starts the Wyoming server when `wyoming_port` is not 0, and in the add-on announces it to the
// Supervisor so HA offers the `wyoming` integration; a refused announcement costs only that. A
// port that cannot be bound (taken by another program) costs only Wyoming too: it is logged as
// an error and the rest of Wactorz runs.
import type { Config } from '../../config/types.ts';
import type { Logger } from '../../logger.ts';
import { announceWyoming } from './discovery.ts';
import { defaultPeerPolicy, type PeerPolicy } from './peers.ts';
import { WyomingServer } from './server.ts';
import type { TurnRunner } from './turn.ts';

export interface StartWyomingOptions {
  config: Pick<Config, 'host' | 'wyomingPort' | 'inAddon' | 'apiKey' | 'supervisorToken'>;
  runner: TurnRunner;
  logger: Logger;
  fetchImpl?: typeof fetch;
  /** Merged over the peer policy from the configuration. Only tests use it. */
  peers?: Partial<PeerPolicy>;
}

export async function startWyoming(opts: StartWyomingOptions): Promise<WyomingServer | undefined> {
  const { config, logger } = opts;
  if (config.wyomingPort === 0) return undefined;
  const server = new WyomingServer({
    host: config.host,
    port: config.wyomingPort,
    policy: defaultPeerPolicy({ inAddon: config.inAddon, apiKey: config.apiKey, ...opts.peers }),
    runner: () => opts.runner,
    logger,
  });
  try {
    await server.start();
  } catch (err) {
    logger.error({ err, port: config.wyomingPort }, 'wyoming server could not listen; Assist cannot reach Wactorz over Wyoming (set wyoming_port to a free port, or 0)');
    return undefined;
  }
  logger.info({ host: config.host, port: server.port }, 'wyoming server listening');
  if (config.supervisorToken) {
    announceWyoming({ token: config.supervisorToken, port: server.port, fetchImpl: opts.fetchImpl }).then(
      (d) => logger.info({ uri: d.uri }, 'Wyoming server announced to the Supervisor'),
      (err: unknown) => logger.warn({ err }, 'Wyoming discovery announcement failed'),
    );
  }
  return server;
}
