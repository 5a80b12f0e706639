// The demo house as an HaClient's read side, without a network: what pure functions over the
// registries and the state cache (maps, listings, sensitive checks) are tested against.
import type { HassServices } from 'home-assistant-js-websocket';
import type { HaClient } from '../../../../server/src/ha/client.ts';
import { DemoHomeCore } from '../../../../server/src/ha/demo/core.ts';
import { HaCoreConfig, REGISTRY_KINDS, type HaRegistries } from '../../../../server/src/ha/schemas.ts';

export type HomeView = Pick<HaClient, 'states' | 'getState' | 'registries' | 'services' | 'hasService' | 'config'>;

export function demoView(): HomeView & { core: DemoHomeCore } {
  const core = new DemoHomeCore();
  const registries = () => Object.fromEntries(REGISTRY_KINDS.map((k) => [k, core.registries.list(k)])) as unknown as HaRegistries;
  const services = () => core.services.describe();
  return {
    core,
    states: () => core.states.all(),
    getState: (id) => core.states.get(id),
    registries,
    services: (): HassServices => services(),
    hasService: (d, s) => core.services.has(d, s),
    config: () => HaCoreConfig.parse(core.config()),
  };
}
