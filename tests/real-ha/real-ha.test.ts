// Everything against the real Home Assistant Core of the pinned version (scripts/real-ha), in one
// file so the cases run one after another on the one HA (the reconnect case stops and starts it):
// the HA-layer suite the demo home also runs (tests/integration/ha/ha-layer.suite.ts), then the
// end-to-end cases (e2e.suite.ts), then agents and rules as HA entities over MQTT discovery
// (mqtt-discovery.suite.ts), then Wactorz as an Assist agent through HA's wyoming integration
// (wyoming.suite.ts), then the companion integration (companion.suite.ts), then HA's own mcp
// integration using Wactorz's tools (mcp.suite.ts), then the dashboard cards in HA's own frontend
// (cards.suite.ts). HA is provisioned here when the machine has none
// yet.
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { LiveHaClient } from '../../server/src/ha/live-client.ts';
import { PROVISION_TIMEOUT_MS, useRealHa, type RealHa } from '../helpers/real-ha.ts';
import { haLayerSuite } from '../integration/ha/ha-layer.suite.ts';
import { realHaEndToEnd } from './e2e.suite.ts';
import { realHaMqttDiscovery } from './mqtt-discovery.suite.ts';
import { realHaWyoming } from './wyoming.suite.ts';
import { realHaCompanion } from './companion.suite.ts';
import { realHaMcp } from './mcp.suite.ts';
import { realHaCards } from './cards.suite.ts';

let real: RealHa;
const clients: LiveHaClient[] = [];
beforeAll(async () => {
  real = await useRealHa();
}, PROVISION_TIMEOUT_MS);
afterEach(async () => {
  for (const c of clients.splice(0)) await c.stop();
});
afterAll(async () => {
  await real?.release();
}, 60_000);

haLayerSuite(() => real.target, {
  async open(t, token) {
    const client = await t.client(token === undefined ? {} : { token });
    clients.push(client);
    return client;
  },
});

realHaEndToEnd(() => real.target, () => real.connection);
realHaMqttDiscovery(() => real.target, () => real.connection);
realHaWyoming(() => real.target, () => real.connection);
realHaCompanion(() => real.target, () => real.connection);
realHaMcp(() => real.target, () => real.connection);
realHaCards(() => real.target, () => real.connection);
