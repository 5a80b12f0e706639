// Sensitive actions (locks, alarm panels, garage/door/gate covers) in a rule: listed in the
// proposal so the user knows what approving confirms. Uses the HA area's own policy, so the
// actuator refuses and the planner flags exactly the same things.
import type { HaClient } from '../../../ha/client.ts';
import { sensitiveActions } from '../../ha/sensitive.ts';
import type { HaAction } from '../../spawn/ha-action.ts';
import type { AgentFacts } from './rule-graph.ts';

export function sensitiveInRule(agents: readonly AgentFacts[], ha: Pick<HaClient, 'states' | 'getState'>): string[] {
  const actions: HaAction[] = agents.flatMap((a) =>
    a.actions.map((act) => act.action ?? { domain: act.domain, service: act.service, target: act.entityIds.length ? { entity_id: act.entityIds } : undefined, service_data: {} }),
  );
  return sensitiveActions(actions, ha);
}
