// What the planner needs of Home Assistant, and a snapshot of it taken once per plan: entities
// with their areas, states and device classes, and the services. Validation and the prompt read
// the same snapshot, so a plan is checked against exactly what the LLM was shown.
import type { HaClient, HassEntity } from '../../../ha/client.ts';

export type PlannerHa = Pick<HaClient, 'states' | 'getState' | 'registries' | 'hasService' | 'services' | 'history'>;

export interface HomeEntity {
  entity_id: string;
  domain: string;
  name: string;
  state: string;
  area: string | undefined;
  device_class: string | undefined;
  unit: string | undefined;
}

export interface HomeSnapshot {
  entities: ReadonlyMap<string, HomeEntity>;
  /** domain -> service names. */
  services: ReadonlyMap<string, ReadonlySet<string>>;
  hasEntity(entityId: string): boolean;
  hasService(domain: string, service: string): boolean;
  /**
   * Chat channel people a rule may notify (`telegram:<id>`, `discord:<id>`, `whatsapp:<number>`),
   * beside HA's notify services; not HA's, but offered and validated with them.
   */
  chatTargets?: readonly string[];
}

export function domainOf(entityId: string): string {
  const dot = entityId.indexOf('.');
  return dot < 0 ? '' : entityId.slice(0, dot);
}

export function snapshotHome(ha: PlannerHa, chatTargets: readonly string[] = []): HomeSnapshot {
  const reg = ha.registries();
  const areaName = new Map(reg.areas.map((a) => [a.area_id, a.name]));
  const deviceArea = new Map(reg.devices.map((d) => [d.id, d.area_id]));
  const entityArea = new Map(reg.entities.map((e) => [e.entity_id, e.area_id ?? (e.device_id ? deviceArea.get(e.device_id) : null) ?? null]));
  const entities = new Map<string, HomeEntity>();
  for (const s of ha.states()) entities.set(s.entity_id, toHomeEntity(s, areaName.get(entityArea.get(s.entity_id) ?? '')));
  const services = new Map<string, Set<string>>();
  for (const [domain, byName] of Object.entries(ha.services())) services.set(domain, new Set(Object.keys(byName)));
  return {
    entities,
    services,
    hasEntity: (id) => entities.has(id),
    hasService: (domain, service) => services.get(domain)?.has(service) ?? false,
    chatTargets,
  };
}

function toHomeEntity(s: HassEntity, area: string | undefined): HomeEntity {
  const attrs = s.attributes as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return {
    entity_id: s.entity_id,
    domain: domainOf(s.entity_id),
    name: str(attrs.friendly_name) ?? s.entity_id,
    state: s.state,
    area,
    device_class: str(attrs.device_class),
    unit: str(attrs.unit_of_measurement),
  };
}
