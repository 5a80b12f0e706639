// Starts Home Assistant for the runtime: the configured HA (Supervisor proxy or HA_URL), or, in
// demo mode, the demo home in-process on a loopback port with a random token, reached through the
// very same client so the demo exercises the real protocol path.
import type { Clock } from '../core/clock.ts';
import type { HaTarget } from '../config/types.ts';
import type { Logger } from '../logger.ts';
import type { HaClient } from './client.ts';
import type { DemoHome } from './demo/demo-home.ts';
import { LiveHaClient } from './live-client.ts';
import { endpointsFor } from './target.ts';

export interface StartedHa {
  client: HaClient;
  /** The in-process demo home, in demo mode (tests and demos drive it). */
  demo: DemoHome | undefined;
  close(): Promise<void>;
}

export interface StartHaOptions {
  logger: Logger;
  clock?: Clock;
  fetchImpl?: typeof fetch;
}

export async function startHa(target: HaTarget, { logger, clock, fetchImpl }: StartHaOptions): Promise<StartedHa> {
  let demo: DemoHome | undefined;
  let endpoints;
  if (target.mode === 'demo') {
    // Imported only here: a server with a real Home Assistant (the add-on) never loads the simulator.
    const { DemoHome } = await import('./demo/demo-home.ts');
    demo = new DemoHome({ host: '127.0.0.1', port: 0 });
    await demo.start();
    logger.info({ component: 'ha', url: demo.url }, 'demo home listening (no Home Assistant configured)');
    endpoints = endpointsFor('demo', demo.url, demo.token);
  } else {
    endpoints = endpointsFor(target.mode, target.url, target.token);
  }
  const client = new LiveHaClient({ endpoints, logger, clock, fetchImpl });
  try {
    await client.start();
  } catch (err) {
    await demo?.stop();
    throw err;
  }
  const started = demo;
  return {
    client,
    demo: started,
    async close() {
      await client.stop();
      await started?.stop();
    },
  };
}
