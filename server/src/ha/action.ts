// Home Assistant service calls and entity conditions as spawn configs declare them (ha_actuator
// actions and conditions, scheduled actions). The schemas are the canonical shape; the
// normalisers accept the forms LLMs write ("light.turn_on" as one string, entity_id beside
// target, data instead of service_data, ">=" instead of gte).
import { z } from 'zod';
import { isPlainObject } from '../bus/topic-bus/dotted-path.ts';

const SLUG = /^[a-z0-9_]+$/;
export const EntityId = z.string().regex(/^[a-z0-9_]+\.[a-z0-9_]+$/, { error: 'expected an entity id like "light.living_room"' });

export const HaTarget = z
  .object({
    entity_id: z.array(EntityId).optional(),
    area_id: z.array(z.string().min(1)).optional(),
    device_id: z.array(z.string().min(1)).optional(),
  })
  .strict();

export const HaAction = z
  .object({
    domain: z.string().regex(SLUG, { error: 'expected a service domain like "light"' }),
    service: z.string().regex(SLUG, { error: 'expected a service name like "turn_on"' }),
    target: HaTarget.optional(),
    service_data: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type HaAction = z.infer<typeof HaAction>;

export const OPERATORS = ['eq', 'ne', 'gt', 'lt', 'gte', 'lte'] as const;
export const Operator = z.enum(OPERATORS);
export type Operator = z.infer<typeof Operator>;

const SYMBOLS: Record<string, Operator> = {
  '==': 'eq', '=': 'eq', '===': 'eq', '!=': 'ne', '<>': 'ne', '!==': 'ne',
  '>': 'gt', '<': 'lt', '>=': 'gte', '<=': 'lte', equals: 'eq', not_equals: 'ne',
};

/** `>=`, `GTE`, `equals` -> the canonical operator name; anything else is returned unchanged. */
export function normalizeOperator(op: unknown): unknown {
  if (typeof op !== 'string') return op;
  const key = op.trim().toLowerCase();
  return SYMBOLS[key] ?? key;
}

export const HaCondition = z
  .object({
    entity_id: EntityId,
    /** "state" compares the entity's state; any other name compares that attribute. */
    attribute: z.string().min(1).default('state'),
    operator: Operator.default('eq'),
    value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
  })
  .strict();
export type HaCondition = z.infer<typeof HaCondition>;

const asList = (v: unknown): unknown => (typeof v === 'string' ? [v] : v);
const toArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

export function normalizeHaAction(raw: unknown): unknown {
  if (!isPlainObject(raw)) return raw;
  const { entity_id, data, service_data, target, ...rest } = raw;
  const out: Record<string, unknown> = { ...rest };
  // "light.turn_on" in `service` (HA's own YAML form), or a domain guessed from the entity id.
  if (typeof out.service === 'string' && out.service.includes('.') && out.domain === undefined) {
    const [domain, service] = out.service.split('.', 2);
    out.domain = domain;
    out.service = service;
  }
  const firstEntity = Array.isArray(entity_id) ? (entity_id[0] as unknown) : entity_id;
  if (out.domain === undefined && typeof firstEntity === 'string' && firstEntity.includes('.')) {
    out.domain = firstEntity.split('.')[0];
  }
  if (out.action !== undefined && out.service === undefined && typeof out.action === 'string') {
    // HA 2024.8+ calls it `action: light.turn_on`.
    const [domain, service] = out.action.split('.', 2);
    if (service !== undefined) Object.assign(out, { domain: out.domain ?? domain, service });
    delete out.action;
  }
  let t: Record<string, unknown> | undefined = isPlainObject(target) ? { ...target } : undefined;
  if (target !== undefined && !isPlainObject(target)) out.target = target;
  if (entity_id !== undefined) {
    t ??= {};
    t.entity_id = [...new Set([...toArray(t.entity_id), ...toArray(entity_id)])];
  }
  if (t) {
    for (const k of ['entity_id', 'area_id', 'device_id']) if (t[k] !== undefined) t[k] = asList(t[k]);
    out.target = t;
  }
  const payload = service_data ?? data;
  if (payload !== undefined) out.service_data = payload;
  // HA domains, services and entity ids are lowercase by definition; "Light.Turn_On" means the same.
  for (const k of ['domain', 'service'] as const) if (typeof out[k] === 'string') out[k] = out[k].trim().toLowerCase();
  if (t && Array.isArray(t.entity_id)) t.entity_id = (t.entity_id as unknown[]).map((e) => (typeof e === 'string' ? e.trim().toLowerCase() : e));
  return out;
}

export function normalizeHaCondition(raw: unknown): unknown {
  if (!isPlainObject(raw)) return raw;
  const { op, operator, state, ...rest } = raw;
  const out: Record<string, unknown> = { ...rest };
  if (operator !== undefined || op !== undefined) out.operator = normalizeOperator(operator ?? op);
  // {entity_id, state: "on"} is the commonest shorthand for "entity is on".
  if (out.value === undefined && state !== undefined) out.value = state;
  else if (state !== undefined) out.state = state;
  return out;
}
