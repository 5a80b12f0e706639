// for_seconds (HA's `for:`) on an ha_actuator: the hold needs a filter that says what state must
// hold (clauses on old_state.* only describe the change into it), and is restart-safe only where
// Home Assistant can be asked about the state again: on the state bridge's topics. Elsewhere a
// restart trusts the last message, which the proposal says.
import type { SpawnConfig } from '../../spawn-config/config-schema.ts';
import { holdingFilter } from '../../ha/actuator/hold.ts';
import { isStateFilter, relativeTo } from '../state-topics.ts';
import { issue, type ValidationIssue } from './issues.ts';

export function checkDurations(configs: readonly SpawnConfig[], root = 'wactorz'): { errors: ValidationIssue[]; warnings: ValidationIssue[] } {
  const errors: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  for (const c of configs) {
    if (c.type !== 'ha_actuator' || c.for_seconds === undefined) continue;
    const holding = holdingFilter(c.detection_filter);
    if (!holding || Object.keys(holding).length === 0) {
      errors.push(issue('duration', `for_seconds ${c.for_seconds} needs a detection_filter on the state that must hold, e.g. {"new_state.state": "open"}`, c.name));
    }
    const elsewhere = c.mqtt_topics.filter((t) => !isStateFilter(relativeTo(root, t)));
    if (elsewhere.length) {
      warnings.push(issue('duration', `for_seconds on ${elsewhere.join(', ')}: no Home Assistant entity to check again, so after a restart the wait trusts the last message`, c.name));
    }
  }
  return { errors, warnings };
}
