// Automation configs behind HA's config API (/api/config/automation/config/<id>), after
// homeassistant/components/config/automation.py: POST validates, stores with `id` first and
// reloads, so an `automation.<alias slug>` entity appears (and its registry entry); DELETE removes
// both. `automation.trigger` runs the simple `action: domain.service` steps, enough for a demo.
import type { Context } from 'home-assistant-js-websocket';
import type { DemoRegistries } from './registries.ts';
import type { DemoStates } from './states.ts';
import { AUTOMATIONS, demoId } from './home-data.ts';
import { isoTime } from './protocol.ts';

export type AutomationConfig = Record<string, unknown>;

/** A config HA would refuse; the REST view answers 400 "Message malformed: ...". */
export class AutomationConfigError extends Error {}

export interface AutomationRunner {
  callService(domain: string, service: string, data: Record<string, unknown>, target: Record<string, unknown> | undefined, context: Context): void;
  fireTriggered(name: string, entityId: string, context: Context): void;
}

export class DemoAutomations {
  readonly #configs = new Map<string, AutomationConfig>();
  readonly #entityOf = new Map<string, string>();
  readonly #states: DemoStates;
  readonly #registries: DemoRegistries;
  readonly #now: () => number;
  #runner: AutomationRunner | undefined;

  constructor(deps: { states: DemoStates; registries: DemoRegistries; now: () => number }) {
    this.#states = deps.states;
    this.#registries = deps.registries;
    this.#now = deps.now;
  }

  /** Loads the automations the demo home ships with (before any client connects). */
  seed(runner: AutomationRunner): void {
    this.#runner = runner;
    for (const [id, config] of Object.entries(AUTOMATIONS)) this.save(id, config);
  }

  get(id: string): AutomationConfig | undefined {
    return this.#configs.get(id);
  }

  ids(): string[] {
    return [...this.#configs.keys()];
  }

  entityId(id: string): string | undefined {
    return this.#entityOf.get(id);
  }

  save(id: string, body: unknown): AutomationConfig {
    const config = validate(body);
    const stored: AutomationConfig = { id, ...config };
    stored.id = id;
    this.#configs.set(id, stored);
    const alias = typeof stored.alias === 'string' && stored.alias.trim() !== '' ? stored.alias : id;
    let entityId = this.#entityOf.get(id);
    if (!entityId) {
      entityId = this.#freeEntityId(`automation.${slugify(alias)}`);
      this.#entityOf.set(id, entityId);
      this.#registries.create('entities', {
        entity_id: entityId,
        id: demoId(`entity:${entityId}`),
        unique_id: id,
        platform: 'automation',
        name: null,
        original_name: alias,
        device_id: null,
        area_id: null,
        labels: [],
        icon: null,
        disabled_by: null,
        hidden_by: null,
        entity_category: null,
        has_entity_name: false,
      });
    }
    const enabled = this.#states.get(entityId)?.state ?? 'on';
    this.#states.set(entityId, enabled, { id, last_triggered: this.#states.get(entityId)?.attributes.last_triggered ?? null, mode: stored.mode ?? 'single', current: 0, friendly_name: alias }, { replaceAttributes: true });
    return stored;
  }

  delete(id: string): boolean {
    if (!this.#configs.delete(id)) return false;
    const entityId = this.#entityOf.get(id);
    this.#entityOf.delete(id);
    if (entityId) {
      this.#states.remove(entityId);
      this.#registries.remove('entities', entityId);
    }
    return true;
  }

  /** automation.trigger: records last_triggered and runs the plain service-call actions. */
  trigger(entityId: string, context: Context): void {
    const id = [...this.#entityOf].find(([, e]) => e === entityId)?.[0];
    const config = id === undefined ? undefined : this.#configs.get(id);
    if (id === undefined || !config || !this.#runner) return;
    const state = this.#states.get(entityId);
    this.#states.set(entityId, state?.state ?? 'on', { last_triggered: isoTime(this.#now()) }, { context });
    this.#runner.fireTriggered(typeof config.alias === 'string' ? config.alias : id, entityId, context);
    for (const step of asList(config.actions ?? config.action)) {
      const action = typeof step === 'object' && step !== null ? (step as Record<string, unknown>) : {};
      const name = typeof action.action === 'string' ? action.action : typeof action.service === 'string' ? action.service : undefined;
      if (!name?.includes('.')) continue;
      const [domain = '', service = ''] = name.split('.', 2);
      const data = (action.data ?? action.service_data ?? {}) as Record<string, unknown>;
      this.#runner.callService(domain, service, data, action.target as Record<string, unknown> | undefined, context);
    }
  }

  #freeEntityId(base: string): string {
    let candidate = base;
    for (let n = 2; this.#states.has(candidate) || this.#registries.get('entities', candidate); n++) candidate = `${base}_${n}`;
    return candidate;
  }
}

function validate(body: unknown): AutomationConfig {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new AutomationConfigError('Message malformed: expected a dictionary');
  const config = { ...(body as AutomationConfig) };
  // HA 2024.10 renamed trigger/condition/action to their plurals; both spellings are accepted.
  const triggers = config.triggers ?? config.trigger;
  const actions = config.actions ?? config.action;
  // HA 2026 validates with probatio: paths read `at 'triggers[0].trigger'`.
  if (triggers === undefined) throw new AutomationConfigError("Message malformed: required key not provided at 'triggers'");
  if (actions === undefined) throw new AutomationConfigError("Message malformed: required key not provided at 'actions'");
  asList(triggers).forEach((t, i) => {
    if (typeof t !== 'object' || t === null || !('trigger' in t || 'platform' in t)) {
      throw new AutomationConfigError(`Message malformed: required key not provided at 'triggers[${i}].trigger'`);
    }
    const platform = String((t as { trigger?: unknown; platform?: unknown }).trigger ?? (t as { platform?: unknown }).platform);
    if (!TRIGGER_PLATFORMS.has(platform) && !platform.includes('.')) throw new AutomationConfigError(`Message malformed: Invalid trigger '${platform}' specified`);
  });
  asList(actions).forEach((a, i) => {
    if (typeof a !== 'object' || a === null) throw new AutomationConfigError(`Message malformed: expected dictionary at 'actions[${i}]'`);
  });
  return config;
}

/** HA's core trigger platforms; integration triggers are `domain.name` (light.turned_on). */
const TRIGGER_PLATFORMS = new Set(['calendar', 'conversation', 'device', 'event', 'geo_location', 'homeassistant', 'mqtt', 'numeric_state', 'persistent_notification', 'state', 'sun', 'tag', 'template', 'time', 'time_pattern', 'webhook', 'zone']);

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** HA's slugify for entity ids: lowercase ASCII words joined by underscores. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return slug || 'unnamed';
}
