// The AgentTypeFactory for `ha_actuator`: checks a rule against the live home before it starts
// (services and entities exist, sensitive actions were confirmed), then runs it under the
// spawner's supervisor.
import type { HaClient } from '../../../ha/client.ts';
import { SpawnError, type AgentTypeFactory, type SpawnOrigin } from '../../spawner/agent-spawner.ts';
import { resolveConfirmation } from '../confirmation.ts';
import { sensitiveActions, sensitiveFingerprint } from '../sensitive.ts';
import { unknownReferences, type ChatNotify } from '../service-calls.ts';
import { freeName, startSupervised, type SpawnHost } from '../supervised.ts';
import type { TraceSink } from '../trace.ts';
import { HaActuatorAgent, type HaActuatorConfig } from './actuator-agent.ts';

export interface HaAgentFactoryDeps extends SpawnHost {
  ha: HaClient;
  callTimeoutMs?: number;
  traces?: TraceSink | undefined;
  chat?: ChatNotify | undefined;
}

/** Problems that make a rule pointless: unknown services and entities (actions and conditions). */
export function checkActuatorConfig(ha: HaClient, config: HaActuatorConfig): string[] {
  const problems = unknownReferences(ha, config.actions);
  if (ha.states().length > 0) {
    for (const c of config.conditions) if (!ha.getState(c.entity_id)) problems.push(`condition on ${c.entity_id}: Home Assistant has no such entity`);
  }
  return problems;
}

export function haActuatorFactory(deps: HaAgentFactoryDeps): AgentTypeFactory<HaActuatorConfig> {
  return {
    type: 'ha_actuator',
    validate: (config) => checkActuatorConfig(deps.ha, config),
    async start(config: HaActuatorConfig, origin: SpawnOrigin) {
      const problems = checkActuatorConfig(deps.ha, config);
      if (problems.length > 0) throw new SpawnError(`ha_actuator ${config.name} rejected: ${problems.join('; ')}.`, 'actions');
      await freeName(deps, config.name);
      const sensitive = sensitiveActions(config.actions, deps.ha);
      const confirmed = resolveConfirmation(deps.system.store, config.name, sensitiveFingerprint(config.actions), origin);
      if (sensitive.length > 0 && !confirmed) {
        throw new SpawnError(
          `ha_actuator ${config.name} refused: it would act on ${sensitive.join(', ')}, which needs your explicit confirmation. ` +
            'Propose it as a rule and approve it (or create it yourself from the panel).',
          'actions',
        );
      }
      const warnings = deps.ha.connectionState() === 'connected' ? [] : ['Home Assistant is not connected: entities and services could not be checked yet.'];
      const actor = await startSupervised(deps, config.name, () => new HaActuatorAgent(config, { ha: deps.ha, sensitiveConfirmed: confirmed, callTimeoutMs: deps.callTimeoutMs, traces: deps.traces, chat: deps.chat }));
      return { id: actor.id, warnings };
    },
  };
}
