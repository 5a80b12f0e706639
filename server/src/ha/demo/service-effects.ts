// What each demo service does to the house, after the HA integrations it imitates: light, switch,
// input_boolean, lock, cover, climate, notify, persistent_notification, automation and the
// homeassistant.* pass-through. A bad field is a vol.Invalid (invalid_format) with HA's wording; a
// value outside what the device accepts is a ServiceValidationError, as the real integrations do.
import type { HassService } from 'home-assistant-js-websocket';
import { CommandError, ERR } from './protocol.ts';
import type { DemoState } from './states.ts';

/** What a handler can touch: the entity states, and the record of notifications. */
export interface EffectHost {
  state(entityId: string): DemoState | undefined;
  set(entityId: string, state: string, attributes?: Record<string, unknown>): void;
  notify(service: string, data: Record<string, unknown>): void;
  /** Runs another service on one entity (homeassistant.turn_on -> light.turn_on). */
  forward(domain: string, service: string, entityId: string, data: Record<string, unknown>): void;
  /** An automation's `trigger` service. */
  triggerAutomation(entityId: string): void;
}

export interface ServiceDef {
  description: HassService;
  /** Entities of this domain are the targets; '*' for any domain; absent for services without a target. */
  targets?: string;
  supportsResponse?: 'optional' | 'only';
  /** Called once per targeted entity (entityId undefined for a service without a target). */
  run(host: EffectHost, data: Record<string, unknown>, entityId: string | undefined): unknown;
}

type Check = (value: unknown, key: string) => unknown;

const invalid = (msg: string, key: string) => new CommandError(ERR.INVALID_FORMAT, `${msg} for dictionary value @ data['${key}']`);
const intRange = (min: number, max: number): Check => (v, key) => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw invalid('expected int', key);
  if (n < min) throw invalid(`value must be at least ${min}`, key);
  if (n > max) throw invalid(`value must be at most ${max}`, key);
  return Math.round(n);
};
const float: Check = (v, key) => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw invalid('expected float', key);
  return n;
};
const str: Check = (v, key) => {
  if (typeof v !== 'string' && typeof v !== 'number') throw invalid('expected str', key);
  return String(v);
};
const any: Check = (v) => v;

/** Validates data against a field table; unknown keys are rejected like voluptuous does. */
function fields(table: Record<string, { check: Check; required?: boolean }>, data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    const spec = table[key];
    if (!spec) throw new CommandError(ERR.INVALID_FORMAT, `extra keys not allowed @ data['${key}']`);
    out[key] = spec.check(value, key);
  }
  for (const [key, spec] of Object.entries(table)) {
    if (spec.required && !(key in out)) throw new CommandError(ERR.INVALID_FORMAT, `required key not provided @ data['${key}']`);
  }
  return out;
}

const describe = (name: string, description: string, fieldNames: string[] = [], targetDomain?: string): HassService => ({
  name,
  description,
  fields: Object.fromEntries(fieldNames.map((f) => [f, { name: f, required: false, selector: {} }])),
  ...(targetDomain ? { target: { entity: [targetDomain === '*' ? {} : { domain: [targetDomain] }] } } : {}),
});

const onOff = (domain: string, label: string): Record<string, ServiceDef> => ({
  turn_on: { description: describe('Turn on', `Turns on the ${label}.`, [], domain), targets: domain, run: (h, d, id) => void (fields({}, d), h.set(id!, 'on')) },
  turn_off: { description: describe('Turn off', `Turns off the ${label}.`, [], domain), targets: domain, run: (h, d, id) => void (fields({}, d), h.set(id!, 'off')) },
  toggle: {
    description: describe('Toggle', `Toggles the ${label}.`, [], domain),
    targets: domain,
    run: (h, d, id) => void (fields({}, d), h.set(id!, h.state(id!)?.state === 'on' ? 'off' : 'on')),
  },
});

const LIGHT_ON_FIELDS = {
  brightness: { check: intRange(0, 255) },
  brightness_pct: { check: intRange(0, 100) },
  brightness_step: { check: intRange(-255, 255) },
  brightness_step_pct: { check: intRange(-100, 100) },
  color_temp_kelvin: { check: intRange(1000, 12000) },
  transition: { check: float },
  flash: { check: str },
  effect: { check: str },
};

function lightOn(h: EffectHost, data: Record<string, unknown>, id: string): void {
  const d = fields(LIGHT_ON_FIELDS, data);
  const current = h.state(id);
  const last = typeof current?.attributes.brightness === 'number' ? current.attributes.brightness : 255;
  let brightness = last;
  if (typeof d.brightness === 'number') brightness = d.brightness;
  else if (typeof d.brightness_pct === 'number') brightness = Math.round((d.brightness_pct * 255) / 100);
  else if (typeof d.brightness_step === 'number') brightness = last + d.brightness_step;
  else if (typeof d.brightness_step_pct === 'number') brightness = last + Math.round((d.brightness_step_pct * 255) / 100);
  brightness = Math.max(0, Math.min(255, brightness));
  // HA turns a light off when asked for brightness 0 (light/__init__.py async_handle_light_on_service).
  if (brightness === 0) return lightOff(h, id);
  const kelvin: unknown = typeof d.color_temp_kelvin === 'number' ? d.color_temp_kelvin : (current?.attributes.color_temp_kelvin ?? 2700);
  h.set(id, 'on', { brightness, color_mode: 'color_temp', color_temp_kelvin: kelvin });
}

function lightOff(h: EffectHost, id: string): void {
  h.set(id, 'off', { brightness: null, color_mode: null, color_temp_kelvin: null });
}

function coverPosition(h: EffectHost, id: string, position: number): void {
  h.set(id, position === 0 ? 'closed' : 'open', { current_position: position });
}

function climateTemperature(h: EffectHost, id: string, data: Record<string, unknown>): void {
  const d = fields({ temperature: { check: float }, target_temp_high: { check: float }, target_temp_low: { check: float }, hvac_mode: { check: str } }, data);
  const current = h.state(id);
  const min = Number(current?.attributes.min_temp ?? 7);
  const max = Number(current?.attributes.max_temp ?? 35);
  if (typeof d.temperature === 'number' && (d.temperature < min || d.temperature > max)) {
    throw new CommandError(ERR.SERVICE_VALIDATION_ERROR, `Provided temperature ${d.temperature.toFixed(1)} is not valid. Accepted range is ${min} to ${max}.`, {
      translation_domain: 'climate',
      translation_key: 'temp_out_of_range',
      translation_placeholders: { check_temp: String(d.temperature), min_temp: String(min), max_temp: String(max) },
    });
  }
  if (typeof d.hvac_mode === 'string') climateMode(h, id, d.hvac_mode);
  if (typeof d.temperature === 'number') h.set(id, h.state(id)?.state ?? 'heat', { temperature: d.temperature });
}

function climateMode(h: EffectHost, id: string, mode: string): void {
  const modes = (h.state(id)?.attributes.hvac_modes as string[] | undefined) ?? [];
  if (!modes.includes(mode)) {
    throw new CommandError(ERR.SERVICE_VALIDATION_ERROR, `HVAC mode ${mode} is not valid. Valid HVAC modes are: ${modes.join(', ')}.`, {
      translation_domain: 'climate',
      translation_key: 'not_valid_hvac_mode',
      translation_placeholders: { mode, modes: modes.join(', ') },
    });
  }
  h.set(id, mode, { hvac_action: mode === 'off' ? 'off' : 'idle' });
}

const NOTIFY_FIELDS = { message: { check: str, required: true }, title: { check: str }, target: { check: any }, data: { check: any } };

export function buildServiceTable(notifyTargets: readonly string[]): Record<string, Record<string, ServiceDef>> {
  const notify: Record<string, ServiceDef> = {
    persistent_notification: {
      description: describe('Send a persistent notification', 'Sends a notification that is visible in the notifications panel.', ['message', 'title', 'data']),
      run: (h, d) => void h.notify('notify.persistent_notification', fields(NOTIFY_FIELDS, d)),
    },
  };
  for (const target of notifyTargets) {
    notify[target] = {
      description: describe(`Send a notification via ${target}`, `Sends a notification message using the ${target} integration.`, ['message', 'title', 'target', 'data']),
      run: (h, d) => void h.notify(`notify.${target}`, fields(NOTIFY_FIELDS, d)),
    };
  }
  return {
    homeassistant: {
      turn_on: { description: describe('Generic turn on', 'Generic action to turn devices on under any domain.', [], '*'), targets: '*', run: (h, d, id) => h.forward(domainOf(id!), 'turn_on', id!, d) },
      turn_off: { description: describe('Generic turn off', 'Generic action to turn devices off under any domain.', [], '*'), targets: '*', run: (h, d, id) => h.forward(domainOf(id!), 'turn_off', id!, d) },
      toggle: { description: describe('Generic toggle', 'Generic action to toggle devices on/off under any domain.', [], '*'), targets: '*', run: (h, d, id) => h.forward(domainOf(id!), 'toggle', id!, d) },
    },
    light: {
      turn_on: { description: describe('Turn on', 'Turns on one or more lights and adjusts their properties.', Object.keys(LIGHT_ON_FIELDS), 'light'), targets: 'light', run: (h, d, id) => lightOn(h, d, id!) },
      turn_off: { description: describe('Turn off', 'Turns off one or more lights.', ['transition', 'flash'], 'light'), targets: 'light', run: (h, d, id) => void (fields({ transition: { check: float }, flash: { check: str } }, d), lightOff(h, id!)) },
      toggle: {
        description: describe('Toggle', 'Toggles one or more lights.', Object.keys(LIGHT_ON_FIELDS), 'light'),
        targets: 'light',
        run: (h, d, id) => (h.state(id!)?.state === 'on' ? lightOff(h, id!) : lightOn(h, d, id!)),
      },
    },
    switch: onOff('switch', 'switch'),
    input_boolean: { ...onOff('input_boolean', 'input boolean'), reload: { description: describe('Reload', 'Reloads helpers from the YAML-configuration.'), run: () => undefined } },
    lock: {
      lock: { description: describe('Lock', 'Locks a lock.', ['code'], 'lock'), targets: 'lock', run: (h, d, id) => void (fields({ code: { check: str } }, d), h.set(id!, 'locked')) },
      unlock: { description: describe('Unlock', 'Unlocks a lock.', ['code'], 'lock'), targets: 'lock', run: (h, d, id) => void (fields({ code: { check: str } }, d), h.set(id!, 'unlocked')) },
      open: { description: describe('Open', 'Opens a lock.', ['code'], 'lock'), targets: 'lock', run: (h, d, id) => void (fields({ code: { check: str } }, d), h.set(id!, 'open')) },
    },
    cover: {
      open_cover: { description: describe('Open', 'Opens a cover.', [], 'cover'), targets: 'cover', run: (h, d, id) => void (fields({}, d), coverPosition(h, id!, 100)) },
      close_cover: { description: describe('Close', 'Closes a cover.', [], 'cover'), targets: 'cover', run: (h, d, id) => void (fields({}, d), coverPosition(h, id!, 0)) },
      stop_cover: { description: describe('Stop', 'Stops the cover movement.', [], 'cover'), targets: 'cover', run: (_h, d) => void fields({}, d) },
      toggle: { description: describe('Toggle', 'Toggles a cover open/closed.', [], 'cover'), targets: 'cover', run: (h, d, id) => void (fields({}, d), coverPosition(h, id!, h.state(id!)?.state === 'closed' ? 100 : 0)) },
      set_cover_position: {
        description: describe('Set position', 'Moves a cover to a specific position.', ['position'], 'cover'),
        targets: 'cover',
        run: (h, d, id) => void coverPosition(h, id!, Number(fields({ position: { check: intRange(0, 100), required: true } }, d).position)),
      },
    },
    climate: {
      set_temperature: { description: describe('Set target temperature', 'Sets the temperature setpoint.', ['temperature', 'target_temp_high', 'target_temp_low', 'hvac_mode'], 'climate'), targets: 'climate', run: (h, d, id) => climateTemperature(h, id!, d) },
      set_hvac_mode: {
        description: describe('Set HVAC mode', 'Sets HVAC operation mode.', ['hvac_mode'], 'climate'),
        targets: 'climate',
        run: (h, d, id) => climateMode(h, id!, String(fields({ hvac_mode: { check: str, required: true } }, d).hvac_mode)),
      },
      turn_on: { description: describe('Turn on', 'Turns climate device on.', [], 'climate'), targets: 'climate', run: (h, d, id) => void (fields({}, d), climateMode(h, id!, 'heat')) },
      turn_off: { description: describe('Turn off', 'Turns climate device off.', [], 'climate'), targets: 'climate', run: (h, d, id) => void (fields({}, d), climateMode(h, id!, 'off')) },
    },
    notify,
    persistent_notification: {
      create: {
        description: describe('Create', 'Shows a notification on the notifications panel.', ['message', 'title', 'notification_id']),
        run: (h, d) => void h.notify('persistent_notification.create', fields({ message: { check: str, required: true }, title: { check: str }, notification_id: { check: str } }, d)),
      },
      dismiss: { description: describe('Dismiss', 'Deletes a notification from the notifications panel.', ['notification_id']), run: (h, d) => void h.notify('persistent_notification.dismiss', d) },
    },
    automation: {
      ...onOff('automation', 'automation'),
      trigger: {
        description: describe('Trigger', 'Triggers the actions of an automation.', ['skip_condition'], 'automation'),
        targets: 'automation',
        run: (h, d, id) => void (fields({ skip_condition: { check: any } }, d), h.triggerAutomation(id!)),
      },
      reload: { description: describe('Reload', 'Reloads the automation configuration.'), run: () => undefined },
    },
  };
}

export function domainOf(entityId: string): string {
  return entityId.slice(0, entityId.indexOf('.'));
}
