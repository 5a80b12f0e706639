// A bigger home than the demo's 23 entities, for measuring what size costs: rooms on three
// floors, each with the devices a furnished room has (ceiling light, lamp, plug with its power
// reading, climate sensor, motion, window contact, blinds, a thermostat in some), registered the
// way HA registers them (area, device, entity registry entries) and with realistic states.
// Deterministic: the same count gives the same home.
import type { DemoHome } from '../../server/src/ha/demo/demo-home.ts';

const FLOORS = [
  { floor_id: 'gen_ground', name: 'Ground floor', level: 0 },
  { floor_id: 'gen_first', name: 'First floor', level: 1 },
  { floor_id: 'gen_basement', name: 'Basement', level: -1 },
];

const ROOMS: [name: string, floor: number][] = [
  ['Kitchen', 0], ['Living Room', 0], ['Dining Room', 0], ['Hallway', 0], ['Guest Toilet', 0], ['Study', 0], ['Porch', 0], ['Garden', 0], ['Garage', 0],
  ['Master Bedroom', 1], ['Kids Room', 1], ['Nursery', 1], ['Guest Room', 1], ['Bathroom', 1], ['Landing', 1], ['Dressing Room', 1], ['Attic', 1],
  ['Laundry', 2], ['Workshop', 2], ['Wine Cellar', 2], ['Boiler Room', 2], ['Gym', 2], ['Storage', 2],
];

interface DeviceKind {
  model: string;
  manufacturer: string;
  integration: string;
  /** [domain, object suffix, name suffix, state, attributes] per entity. */
  entities: [string, string, string, string, Record<string, unknown>][];
}

const KINDS: DeviceKind[] = [
  { model: 'Hue White Ambiance', manufacturer: 'Signify', integration: 'hue', entities: [['light', 'ceiling_light', 'Ceiling Light', 'off', { supported_color_modes: ['color_temp'], min_color_temp_kelvin: 2200, max_color_temp_kelvin: 6500 }]] },
  { model: 'Hue Go', manufacturer: 'Signify', integration: 'hue', entities: [['light', 'lamp', 'Lamp', 'on', { supported_color_modes: ['hs'], brightness: 140, color_mode: 'hs', hs_color: [30, 60] }]] },
  {
    model: 'Smart Plug Mini', manufacturer: 'TP-Link', integration: 'tplink',
    entities: [
      ['switch', 'plug', 'Plug', 'on', {}],
      ['sensor', 'plug_power', 'Plug Power', '12.4', { unit_of_measurement: 'W', device_class: 'power', state_class: 'measurement' }],
    ],
  },
  {
    model: 'Aqara Temperature and Humidity Sensor', manufacturer: 'Aqara', integration: 'zha',
    entities: [
      ['sensor', 'temperature', 'Temperature', '21.3', { unit_of_measurement: '°C', device_class: 'temperature', state_class: 'measurement' }],
      ['sensor', 'humidity', 'Humidity', '48', { unit_of_measurement: '%', device_class: 'humidity', state_class: 'measurement' }],
      ['sensor', 'climate_battery', 'Climate Sensor Battery', '87', { unit_of_measurement: '%', device_class: 'battery', state_class: 'measurement' }],
    ],
  },
  {
    model: 'Hue Motion Sensor', manufacturer: 'Signify', integration: 'hue',
    entities: [
      ['binary_sensor', 'motion', 'Motion', 'off', { device_class: 'motion' }],
      ['sensor', 'illuminance', 'Illuminance', '120', { unit_of_measurement: 'lx', device_class: 'illuminance', state_class: 'measurement' }],
    ],
  },
  { model: 'Aqara Door and Window Sensor', manufacturer: 'Aqara', integration: 'zha', entities: [['binary_sensor', 'window', 'Window', 'off', { device_class: 'window' }]] },
  { model: 'Somfy Sonesse 30', manufacturer: 'Somfy', integration: 'somfy_mylink', entities: [['cover', 'blinds', 'Blinds', 'open', { device_class: 'blind', current_position: 100, supported_features: 15 }]] },
  {
    model: 'Tado Smart Radiator Thermostat', manufacturer: 'tado', integration: 'tado',
    entities: [['climate', 'radiator', 'Radiator', 'heat', { hvac_modes: ['off', 'heat', 'auto'], current_temperature: 20.5, temperature: 21, min_temp: 5, max_temp: 25 }]],
  },
];

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '_');

/**
 * Adds rooms, devices and at least `count` entities to a started demo home (before the client
 * connects, or it sees them arrive as registry and state events). Returns the number added.
 */
export function addGeneratedHome(home: DemoHome, count = 300): number {
  const { registries } = home.core;
  const stamps = { created_at: 0, modified_at: 0 };
  for (const f of FLOORS) registries.create('floors', { ...f, icon: null, aliases: [], ...stamps });
  for (const [name, floor] of ROOMS) {
    registries.create('areas', {
      area_id: `gen_${slug(name)}`, name, floor_id: FLOORS[floor]?.floor_id ?? null, icon: null, picture: null, aliases: [], labels: [],
      temperature_entity_id: null, humidity_entity_id: null, ...stamps,
    });
  }
  let added = 0;
  // Round by round, every room gets one more device: the home fills up evenly.
  for (let round = 0; added < count; round++) {
    for (const [room] of ROOMS) {
      if (added >= count) break;
      const kind = KINDS[(round + room.length) % KINDS.length];
      const copy = Math.floor(round / KINDS.length) + 1;
      const deviceName = `${room} ${kind.entities[0][2].replace(/ (Power|Temperature)$/, '')}${copy > 1 ? ` ${copy}` : ''}`;
      const deviceId = `gen_${slug(deviceName)}_${round}`;
      const entryId = `gen_entry_${kind.integration}`;
      registries.create('devices', {
        id: deviceId, name: deviceName, name_by_user: null, area_id: `gen_${slug(room)}`, manufacturer: kind.manufacturer, model: kind.model, model_id: null,
        sw_version: null, hw_version: null, serial_number: null, labels: [], disabled_by: null, entry_type: null, via_device_id: null,
        identifiers: [[kind.integration, deviceId]], connections: [], config_entries: [entryId], config_entries_subentries: { [entryId]: [null] },
        configuration_url: null, primary_config_entry: entryId, ...stamps,
      });
      for (const [domain, suffix, nameSuffix, state, attributes] of kind.entities) {
        const objectId = `${slug(room)}_${suffix}${copy > 1 ? `_${copy}` : ''}`;
        const entityId = `${domain}.${objectId}`;
        const friendly = `${room} ${nameSuffix}${copy > 1 ? ` ${copy}` : ''}`;
        registries.create('entities', {
          entity_id: entityId, id: `gen_${objectId}_${domain}`, unique_id: `${deviceId}-${suffix}`, platform: kind.integration, name: null, original_name: friendly,
          device_id: deviceId, area_id: null, labels: [], icon: null, disabled_by: null, hidden_by: null, entity_category: null, has_entity_name: false,
          translation_key: null, config_entry_id: entryId, config_subentry_id: null, categories: {}, options: {}, ...stamps,
        });
        home.setState(entityId, state, { friendly_name: friendly, ...attributes });
        added++;
      }
    }
  }
  return added;
}
