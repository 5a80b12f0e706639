// Checks an automation config before it is saved through HA's config API: it has triggers and
// actions, and every entity and service it names exists (HA itself would save an automation that
// points at a typo and only fail when it runs). Both spellings of HA's keys are read: the 2024.10
// plurals (triggers/conditions/actions, `action: light.turn_on`) and the older singular forms
// (`trigger`, `service:`).
import type { HaClient } from '../../../ha/client.ts';

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
