// Builds the discovery bridge from the runtime's parts: the API's services (the same doors the
// panel uses, so protected actors and rules behave alike), the live hub for changes, the MQTT
// connection for reconnects, and the planner's rules for what a rule's actions reach.
import { agentFacts } from '../../agents/planner/validation/rule-graph.ts';
import { sensitiveInRule } from '../../agents/planner/validation/sensitive.ts';
import type { SpawnConfig } from '../../agents/spawn-config/config-schema.ts';
import type { Bus } from '../../bus/bus.ts';
import type { MqttConnection } from '../../bus/connection.ts';
import type { Clock } from '../../core/clock.ts';
import type { RequestContext, Services } from '../../contract/services.ts';
import type { HaClient } from '../../ha/client.ts';
import type { LiveHub } from '../../http/live-hub.ts';
import type { Logger } from '../../logger.ts';
import { HaDiscovery } from './bridge.ts';

export interface HaDiscoveryParts {
  options: { prefix: string; commands: boolean };
  bus: Bus;
  clock: Clock;
  services: Pick<Services, 'agents' | 'rules' | 'budget'>;
  /** A rule's agents' spawn configs (the planner's RulesManager), to find sensitive actions. */
  ruleConfigs(id: string): readonly SpawnConfig[] | undefined;
  ha: Pick<HaClient, 'states' | 'getState'>;
  live: LiveHub;
  mqtt: Pick<MqttConnection, 'onState'>;
  logger: Logger;
}

/** Events after which HA's entities may be out of date (heartbeats and logs change nothing shown). */
const RELEVANT = new Set(['agent.state', 'agent.removed', 'agent.error', 'cost.update', 'rule.status', 'rule.removed']);

/**
 * The services take a request context for audit; these commands come from HA over the broker,
 * after trust.ts allowed them, and the services act the same whoever asks.
 */
const FROM_HA: RequestContext = {
  identity: { userId: null, userName: 'home-assistant-mqtt', displayName: 'Home Assistant (MQTT discovery)', via: 'local' },
  signal: new AbortController().signal,
};

export async function startHaDiscovery(p: HaDiscoveryParts): Promise<HaDiscovery> {
  const bridge = new HaDiscovery({
    bus: p.bus,
    clock: p.clock,
    prefix: p.options.prefix,
    commands: p.options.commands,
    agents: { list: () => p.services.agents.list(), command: (name, command) => p.services.agents.command(name, command, FROM_HA) },
    rules: { list: () => p.services.rules.list(), setEnabled: (id, enabled) => p.services.rules.setEnabled(id, enabled, FROM_HA) },
    budget: { get: () => p.services.budget.get() },
    sensitiveOf: (id) => {
      const configs = p.ruleConfigs(id);
      // Actions we cannot see are treated as sensitive: refusing an enable is the safe mistake.
      return configs ? sensitiveInRule(configs.map((c) => agentFacts(c, p.bus.root)), p.ha) : ['actions that could not be read'];
    },
    onChange: (listener) => p.live.on((e) => RELEVANT.has(e.event.type) && listener()),
    onConnected: (listener) => p.mqtt.onState((s) => s === 'connected' && listener()),
    logger: p.logger,
  });
  await bridge.start();
  return bridge;
}
