// The demo home's service registry: get_services, call_service, and the record of every call
// (what tests and demos assert on). Targets resolve like HA's service helper: entity_id (or
// "all"), device_id, area_id, floor_id and label_id, expanded to the entities of the service's
// domain. Unknown entities are skipped and reported as `missing`, as HA only logs them.
import type { Context, HassServices, HassServiceTarget } from 'home-assistant-js-websocket';
import type { DemoEventBus } from './event-bus.ts';
import type { DemoRegistries } from './registries.ts';
import { buildServiceTable, domainOf, type EffectHost, type ServiceDef } from './service-effects.ts';
import { CommandError, ERR } from './protocol.ts';
import type { DemoStates } from './states.ts';

export interface RecordedServiceCall {
  domain: string;
  service: string;
  /** service_data without the target keys. */
  data: Record<string, unknown>;
  target: HassServiceTarget;
  /** Entities the call acted on. */
  entityIds: string[];
  /** Referenced entities that do not exist (HA logs these and carries on). */
  missing: string[];
  context: Context;
  at: number;
}

export interface RecordedNotification {
  service: string;
  message: string;
  title?: string;
  data?: unknown;
  at: number;
}

export interface ServiceCallRequest {
  domain: string;
  service: string;
  serviceData?: Record<string, unknown>;
  target?: HassServiceTarget;
  returnResponse?: boolean;
  context: Context;
}

const TARGET_KEYS = ['entity_id', 'device_id', 'area_id', 'floor_id', 'label_id'] as const;

export class DemoServices {
  readonly #table: Record<string, Record<string, ServiceDef>>;
  readonly #calls: RecordedServiceCall[] = [];
  readonly #notes: RecordedNotification[] = [];
  readonly #listeners = new Set<(call: RecordedServiceCall) => void>();
  readonly #states: DemoStates;
  readonly #registries: DemoRegistries;
  readonly #bus: DemoEventBus;
  readonly #now: () => number;
  readonly #onAutomationTrigger: (entityId: string, context: Context) => void;

  constructor(deps: { states: DemoStates; registries: DemoRegistries; bus: DemoEventBus; now: () => number; notifyTargets: readonly string[]; onAutomationTrigger: (entityId: string, context: Context) => void }) {
    this.#states = deps.states;
    this.#registries = deps.registries;
    this.#bus = deps.bus;
    this.#now = deps.now;
    this.#onAutomationTrigger = deps.onAutomationTrigger;
    this.#table = buildServiceTable(deps.notifyTargets);
  }

  /** get_services: {domain: {service: description}}. */
  describe(): HassServices {
    const out: HassServices = {};
    for (const [domain, services] of Object.entries(this.#table)) {
      out[domain] = Object.fromEntries(Object.entries(services).map(([name, def]) => [name, { ...def.description, ...(def.supportsResponse ? { response: { optional: def.supportsResponse === 'optional' } } : {}) }]));
    }
    return out;
  }

  has(domain: string, service: string): boolean {
    return this.#table[domain]?.[service] !== undefined;
  }

  /** Registers a service at run time (fires service_registered, as HA does). */
  register(domain: string, service: string, def: ServiceDef): void {
    (this.#table[domain] ??= {})[service] = def;
    this.#bus.fire('service_registered', { domain, service });
  }

  /** Runs a call; returns the service response (undefined for services without one). */
  call(req: ServiceCallRequest): { response: unknown; record: RecordedServiceCall } {
    const def = this.#table[req.domain]?.[req.service];
    if (!def) {
      throw new CommandError(ERR.NOT_FOUND, `Service ${req.domain}.${req.service} not found.`, { translation_domain: 'homeassistant', translation_key: 'service_not_found', translation_placeholders: { domain: req.domain, service: req.service } });
    }
    if (req.returnResponse && !def.supportsResponse) {
      throw new CommandError(ERR.SERVICE_VALIDATION_ERROR, 'An action which does not return responses can\'t be called with return_response=True', { translation_domain: 'homeassistant', translation_key: 'service_does_not_support_response' });
    }
    if (!req.returnResponse && def.supportsResponse === 'only') {
      throw new CommandError(ERR.SERVICE_VALIDATION_ERROR, 'The action requires responses and must be called with return_response=True', { translation_domain: 'homeassistant', translation_key: 'service_lacks_response_request' });
    }
    const data: Record<string, unknown> = { ...(req.serviceData ?? {}) };
    const target: HassServiceTarget = { ...(req.target ?? {}) };
    for (const key of TARGET_KEYS) {
      if (key in data) {
        target[key] = data[key] as string | string[];
        delete data[key];
      }
    }
    const { entityIds, missing } = def.targets ? this.#resolve(def.targets, target) : { entityIds: [], missing: [] };
    const record: RecordedServiceCall = { domain: req.domain, service: req.service, data, target, entityIds, missing, context: req.context, at: this.#now() };
    // HA fires call_service on the bus before running the handler.
    this.#bus.fire('call_service', { domain: req.domain, service: req.service, service_data: { ...data, ...target } }, req.context);
    const host = this.#host(req.context);
    let response: unknown;
    if (def.targets) for (const id of entityIds) response = def.run(host, data, id);
    else response = def.run(host, data, undefined);
    this.#calls.push(record);
    for (const listener of this.#listeners) listener(record);
    return { response: req.returnResponse ? (response ?? null) : undefined, record };
  }

  recorded(): readonly RecordedServiceCall[] {
    return this.#calls;
  }

  notifications(): readonly RecordedNotification[] {
    return this.#notes;
  }

  clearRecords(): void {
    this.#calls.length = 0;
    this.#notes.length = 0;
  }

  onCall(listener: (call: RecordedServiceCall) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  #host(context: Context): EffectHost {
    return {
      state: (id) => this.#states.get(id),
      set: (id, state, attributes) => void this.#states.set(id, state, attributes, { context }),
      notify: (service, data) => {
        this.#notes.push({ service, message: typeof data.message === 'string' ? data.message : '', ...(typeof data.title === 'string' ? { title: data.title } : {}), ...(data.data !== undefined ? { data: data.data } : {}), at: this.#now() });
      },
      forward: (domain, service, entityId, data) => {
        const def = this.#table[domain]?.[service];
        if (def) def.run(this.#host(context), data, entityId);
      },
      triggerAutomation: (entityId) => this.#onAutomationTrigger(entityId, context),
    };
  }

  #resolve(domain: string, target: HassServiceTarget): { entityIds: string[]; missing: string[] } {
    const wanted = new Set<string>();
    const missing: string[] = [];
    const matches = (id: string) => domain === '*' || domainOf(id) === domain;
    for (const id of list(target.entity_id)) {
      if (id === 'all') this.#states.all().forEach((s) => matches(s.entity_id) && wanted.add(s.entity_id));
      else if (id === 'none') continue;
      else if (this.#states.has(id)) wanted.add(id);
      else missing.push(id);
    }
    const devices = new Set(list(target.device_id));
    const areas = new Set(list(target.area_id));
    for (const floor of list(target.floor_id)) this.#registries.list('areas').forEach((a) => a.floor_id === floor && areas.add(a.area_id));
    const labels = new Set(list(target.label_id));
    if (devices.size + areas.size + labels.size > 0) {
      for (const entry of this.#registries.list('entities')) {
        if (!matches(entry.entity_id) || !this.#states.has(entry.entity_id) || entry.entity_category !== null) continue;
        const area = this.#registries.areaOfEntity(entry.entity_id);
        const device = entry.device_id ? this.#registries.get('devices', entry.device_id) : undefined;
        if (
          (entry.device_id !== null && devices.has(entry.device_id)) ||
          (area !== null && areas.has(area)) ||
          entry.labels.some((l) => labels.has(l)) ||
          (device?.labels ?? []).some((l) => labels.has(l))
        ) {
          wanted.add(entry.entity_id);
        }
      }
    }
    return { entityIds: [...wanted].filter(matches), missing };
  }
}

function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const items = Array.isArray(value) ? value : value.split(',');
  return items.map((v) => v.trim()).filter((v) => v.length > 0);
}
