// Builds the real Fastify app for API and panel tests: fake service implementations, a fresh
// live hub, healthy health sources and, unless a panel directory is given, no panel.
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../server/src/core/clock.ts';
import type { AccessPolicy } from '../../server/src/http/access-policy.ts';
import { buildApp, closeApp, type AppDeps } from '../../server/src/http/app.ts';
import type { HealthSources } from '../../server/src/http/health.ts';
import { LiveHub } from '../../server/src/http/live-hub.ts';
import type { Services } from '../../server/src/contract/services.ts';
import { createFakeServices, type FakeServices } from './fake-services.ts';
import { makeTempDir } from './tmp.ts';

export const healthy: HealthSources = {
  broker: () => ({ mode: 'embedded', state: 'connected' }),
  ha: () => ({ mode: 'demo', state: 'connected' }),
  llm: () => ({ provider: 'anthropic', model: 'claude-sonnet-4-6' }),
};

export interface TestApp {
  app: FastifyInstance;
  hub: LiveHub;
  fake: FakeServices;
  close(): Promise<void>;
}

export interface TestAppOptions {
  access?: Partial<AccessPolicy>;
  /** false: no services plugged in (every resource route answers 503). */
  services?: boolean | Partial<Services>;
  panelDir?: string;
  clock?: Clock;
  limits?: AppDeps['limits'];
  /** Runs after build and before ready, to add test-only routes. */
  extend?: (app: FastifyInstance) => void;
}

export async function buildTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const hub = new LiveHub({ clock: opts.clock });
  const fake = createFakeServices(hub);
  const tmp = makeTempDir();
  const services = opts.services === false ? {} : opts.services === undefined || opts.services === true ? fake.services : opts.services;
  const app = await buildApp({
    health: healthy,
    startedAt: new Date(),
    panelDir: opts.panelDir ?? join(tmp.path, 'no-panel'),
    access: opts.access,
    services,
    live: hub,
    clock: opts.clock,
    limits: opts.limits,
  });
  opts.extend?.(app);
  await app.ready();
  return {
    app,
    hub,
    fake,
    close: async () => {
      fake.release();
      // Bounded like the product's stop: a browser holding a connection must not hang the test.
      await closeApp(app);
      tmp.cleanup();
    },
  };
}
