// The HA-layer suite (ha-layer.suite.ts) against the demo home; tests/real-ha/ runs the same cases
// against a real Home Assistant Core.
import { afterEach, beforeEach } from 'vitest';
import type { LiveHaClient } from '../../../server/src/ha/live-client.ts';
import { demoTarget, type HaTarget } from '../../helpers/ha-target.ts';
import { haLayerSuite } from './ha-layer.suite.ts';

let target: HaTarget;
const clients: LiveHaClient[] = [];
beforeEach(async () => {
  target = await demoTarget();
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.stop();
  await target.close();
});

haLayerSuite(() => target, {
  async open(t, token) {
    const client = await t.client(token === undefined ? {} : { token });
    clients.push(client);
    return client;
  },
});
