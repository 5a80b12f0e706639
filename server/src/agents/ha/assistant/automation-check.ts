// Checks an automation config before it is saved through HA's config API: it has triggers and
// actions, and every entity and service it names exists (HA itself would save an automation that
// points at a typo and only fail when it runs). Both spellings of HA's keys are read: the 2024.10
// plurals (triggers/conditions/actions, `action: light.turn_on`) and the older singular forms
// (`trigger`, `service:`).
import type { HaClient } from '../../../ha/client.ts';
import { sensitiveTargets } from '../../../ha/sensitive-calls.ts';

const TEMPLATE = /\{\{|\{%/;

export interface AutomationRefs {
  entities: string[];
  services: string[];
}

export function referencesOf(config: unknown): AutomationRefs {
  const entities = new Set<string>();
  const services = new Set<string>();
  const walk = (node: unknown, key: string | undefined) => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item, key);
      return;
    }
    if (typeof node === 'string') {
      if (TEMPLATE.test(node)) return;
      if (key === 'entity_id') {
        for (const part of node.split(',')) {
          const id = part.trim();
          if (id && id !== 'all' && id !== 'none') entities.add(id);
        }
      } else if ((key === 'action' || key === 'service') && /^[a-z0-9_]+\.[a-z0-9_]+$/.test(node)) {
        services.add(node);
      }
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [k, v] of Object.entries(node)) walk(v, k);
  };
  walk(config, undefined);
  return { entities: [...entities], services: [...services] };
}

export function checkAutomation(ha: Pick<HaClient, 'getState' | 'hasService' | 'states' | 'services'>, config: unknown): string[] {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return ['an automation must be a JSON object'];
  const c = config as Record<string, unknown>;
  const problems: string[] = [];
  const nonEmpty = (v: unknown) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
  if (typeof c.alias !== 'string' || c.alias.trim() === '') problems.push('it needs an alias (its name)');
  if (!nonEmpty(c.triggers ?? c.trigger)) problems.push('it needs at least one trigger');
  if (!nonEmpty(c.actions ?? c.action)) problems.push('it needs at least one action');
  const refs = referencesOf({ triggers: c.triggers ?? c.trigger, conditions: c.conditions ?? c.condition, actions: c.actions ?? c.action });
  if (ha.states().length > 0) for (const id of refs.entities) if (!ha.getState(id)) problems.push(`Home Assistant has no entity ${id}`);
  if (Object.keys(ha.services()).length > 0) {
    for (const s of refs.services) {
      const [domain = '', service = ''] = s.split('.');
      if (!ha.hasService(domain, service)) problems.push(`Home Assistant has no service ${s}`);
    }
  }
  return problems;
}

/**
 * The sensitive entities (locks, alarm panels, garage/door covers) the automation's actions would
 * act on, at any depth (choose, if/then, sequence, parallel), as service calls or device actions.
 * An entity id written as a template cannot be known: the call is judged as if it had no target.
 */
export function sensitiveInAutomation(ha: Pick<HaClient, 'getState' | 'states'>, config: Record<string, unknown>): string[] {
  const hits = new Set<string>();
  const check = (domain: string, service: string, data: Record<string, unknown>) => {
    if (isTemplated(data.entity_id)) delete data.entity_id;
    for (const t of sensitiveTargets({ domain, service, data }, () => ha.states(), (id) => ha.getState(id))) hits.add(t);
  };
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const n = node as Record<string, unknown>;
    const called = typeof n.action === 'string' ? n.action : typeof n.service === 'string' ? n.service : undefined;
    const [domain, service] = called?.trim().toLowerCase().split('.') ?? [];
    if (domain && service) {
      const data: Record<string, unknown> = { ...asObject(n.data), ...asObject(n.service_data), ...asObject(n.target) };
      if (n.entity_id !== undefined) data.entity_id = n.entity_id;
      check(domain, service, data);
    } else if (typeof n.domain === 'string' && typeof n.type === 'string' && n.device_id !== undefined) {
      check(n.domain.toLowerCase(), n.type, { device_id: n.device_id, ...(n.entity_id !== undefined ? { entity_id: n.entity_id } : {}) });
    }
    for (const v of Object.values(n)) walk(v);
  };
  walk(config.actions ?? config.action);
  return [...hits];
}

function asObject(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function isTemplated(v: unknown): boolean {
  return typeof v === 'string' ? TEMPLATE.test(v) : Array.isArray(v) && v.some((x) => typeof x === 'string' && TEMPLATE.test(x));
}
