// Sensitive actions (locks, alarm panels, garage/door/gate covers) in a rule: listed in the
// proposal so the user knows what approving confirms. Uses the HA area's own policy, so the
// actuator refuses and the planner flags exactly the same things. Approval confirms declarative
// actions (ha_actuator, scheduled); agent code gets sensitive grants only from the user directly,
// so a plan that unlocks from code could never work: it goes back to the LLM instead.
import { matches } from '../../../bus/match.ts';
import { PROCESS_OWNED_TOPICS } from '../../../bus/topics.ts';
import type { HaClient } from '../../../ha/client.ts';
import { sensitiveActions } from '../../ha/sensitive.ts';
import type { HaAction } from '../../../ha/action.ts';
import { issue, type ValidationIssue } from './issues.ts';
import type { ActionFact, AgentFacts } from './rule-graph.ts';

type Home = Pick<HaClient, 'states' | 'getState'>;

function asAction(act: ActionFact): HaAction {
  return act.action ?? { domain: act.domain, service: act.service, target: act.entityIds.length ? { entity_id: act.entityIds } : undefined, service_data: {} };
}

export function sensitiveInRule(agents: readonly AgentFacts[], ha: Home): string[] {
  return sensitiveActions(agents.flatMap((a) => a.actions.map(asAction)), ha);
}

/**
 * Sensitive actions triggered by broker data: HA state changes come from Home Assistant itself
 * (in-process), but anyone on the broker can publish any other topic, so the proposal says that
 * approving lets them trigger these actions.
 */
export function sensitiveOnBrokerData(agents: readonly AgentFacts[], ha: Home): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const a of agents) {
    const hits = sensitiveActions(a.actions.filter((act) => act.action !== undefined).map(asAction), ha);
    const broker = a.consumes.filter((t) => !PROCESS_OWNED_TOPICS.some((owned) => matches(owned, t)));
    if (hits.length && broker.length) {
      out.push(issue('sensitive', `it acts on ${hits.join(', ')} when a message arrives on ${broker.join(', ')}; any device or client on the MQTT broker can publish there, so approving lets them trigger it`, a.name));
    }
  }
  return out;
}

export function sensitiveInCode(agents: readonly AgentFacts[], ha: Home): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const a of agents) {
    const fromCode = a.actions.filter((act) => act.action === undefined);
    const hits = sensitiveActions(fromCode.map(asAction), ha);
    if (hits.length) out.push(issue('sensitive', `its code acts on ${hits.join(', ')}; sensitive actions must be an ha_actuator's (or a scheduled agent's) declared actions, which the user's approval confirms`, a.name));
  }
  return out;
}
