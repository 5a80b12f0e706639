// The AgentTypeFactory for `scheduled`: a spec that can never fire, or a `once` already in the
// past, is refused at spawn with a message saying so; actions are checked like an actuator's.
import type { HaClient } from '../../../ha/client.ts';
import { SpawnError, type AgentTypeFactory, type SpawnOrigin } from '../../spawner/agent-spawner.ts';
import { resolveConfirmation } from '../confirmation.ts';
import { sensitiveActions, sensitiveFingerprint } from '../sensitive.ts';
import { unknownReferences, type ChatNotify } from '../service-calls.ts';
import { freeName, startSupervised, type SpawnHost } from '../supervised.ts';
import type { Clock } from '../../../core/clock.ts';
import type { TraceSink } from '../trace.ts';
import { nextFireTime, onceInstant } from './next-fire.ts';
import { DEFAULT_GRACE_MS, ScheduledAgent, zoneOf, type ScheduledConfig } from './scheduled-agent.ts';

export interface ScheduledFactoryDeps extends SpawnHost {
  ha: HaClient;
  graceMs?: number;
  callTimeoutMs?: number;
  traces?: TraceSink | undefined;
  /** Removes a `once` agent for good after it fired (e.g. the spawner's delete). */
  retire?: (name: string) => Promise<unknown>;
  chat?: ChatNotify | undefined;
}

/** Why a schedule cannot work, in words the planner or the user can act on. */
export function checkSchedule(config: ScheduledConfig, ha: HaClient, clock: Clock, graceMs = DEFAULT_GRACE_MS): string[] {
  const problems: string[] = [];
  const spec = config.schedule;
  const zone = zoneOf(ha);
  const now = clock.now();
  try {
    if (spec.kind === 'once') {
      const at = onceInstant(spec.at, spec.timezone ?? zone.tz);
      if (at < now - graceMs) problems.push(`schedule: "once" at ${spec.at} is in the past (it is now ${new Date(now).toISOString()})`);
    } else if (spec.kind === 'sun' && !zone.location) {
      // Without HA's location the sun cannot be placed; the agent replans when HA connects.
    } else if (nextFireTime(spec, now, zone.tz, zone.location) === undefined) {
      problems.push(`schedule: ${JSON.stringify(spec)} never fires`);
    }
  } catch (err) {
    problems.push(`schedule: ${err instanceof Error ? err.message : String(err)}`);
  }
  problems.push(...unknownReferences(ha, config.actions));
  return problems;
}

export function scheduledFactory(deps: ScheduledFactoryDeps): AgentTypeFactory<ScheduledConfig> {
  return {
    type: 'scheduled',
    validate: (config) => checkSchedule(config, deps.ha, deps.system.clock, deps.graceMs),
    async start(config: ScheduledConfig, origin: SpawnOrigin) {
      // A restored `once` may lie in the past: the agent itself fires it late or reports it missed.
      const problems = checkSchedule(config, deps.ha, deps.system.clock, deps.graceMs).filter((p) => origin.by !== 'restore' || !p.includes('is in the past'));
      if (problems.length > 0) throw new SpawnError(`scheduled ${config.name} rejected: ${problems.join('; ')}.`, 'schedule');
      await freeName(deps, config.name);
      const sensitive = sensitiveActions(config.actions, deps.ha);
      const confirmed = resolveConfirmation(deps.system.store, config.name, sensitiveFingerprint(config.actions), origin);
      if (sensitive.length > 0 && !confirmed) {
        throw new SpawnError(`scheduled ${config.name} refused: it would act on ${sensitive.join(', ')}, which needs your explicit confirmation. Propose it as a rule and approve it.`, 'actions');
      }
      const actor = await startSupervised(deps, config.name, () =>
        new ScheduledAgent(config, { ha: deps.ha, sensitiveConfirmed: confirmed, graceMs: deps.graceMs, callTimeoutMs: deps.callTimeoutMs, traces: deps.traces, retire: deps.retire, chat: deps.chat }),
      );
      return { id: actor.id };
    },
  };
}
