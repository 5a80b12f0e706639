// Home Assistant's registry entries and core config, as zod schemas (one definition for the
// client, the demo home and the API). Loose objects: HA adds fields between releases, and a newer
// HA must not break parsing, so only the fields we rely on are required.
import { z } from 'zod';

const nullableString = z.string().nullable();
/** HA registry timestamps are float seconds since the epoch (created_at, modified_at). */
const timestamp = z.number().optional();

export const AreaEntry = z.looseObject({
  area_id: z.string(),
  name: z.string(),
  floor_id: nullableString.default(null),
  aliases: z.array(z.string()).default([]),
  labels: z.array(z.string()).default([]),
  icon: nullableString.default(null),
  picture: nullableString.default(null),
  humidity_entity_id: nullableString.optional(),
  temperature_entity_id: nullableString.optional(),
  created_at: timestamp,
  modified_at: timestamp,
});
export type AreaEntry = z.infer<typeof AreaEntry>;

export const FloorEntry = z.looseObject({
  floor_id: z.string(),
  name: z.string(),
  level: z.number().nullable().default(null),
  icon: nullableString.default(null),
  aliases: z.array(z.string()).default([]),
  created_at: timestamp,
  modified_at: timestamp,
});
export type FloorEntry = z.infer<typeof FloorEntry>;

export const LabelEntry = z.looseObject({
  label_id: z.string(),
  name: z.string(),
  color: nullableString.default(null),
  icon: nullableString.default(null),
  description: nullableString.default(null),
  created_at: timestamp,
  modified_at: timestamp,
});
export type LabelEntry = z.infer<typeof LabelEntry>;

export const DeviceEntry = z.looseObject({
  id: z.string(),
  name: nullableString.default(null),
  name_by_user: nullableString.default(null),
  area_id: nullableString.default(null),
  manufacturer: nullableString.default(null),
  model: nullableString.default(null),
  model_id: nullableString.optional(),
  sw_version: nullableString.optional(),
  hw_version: nullableString.optional(),
  serial_number: nullableString.optional(),
  labels: z.array(z.string()).default([]),
  disabled_by: nullableString.default(null),
  entry_type: nullableString.default(null),
  via_device_id: nullableString.default(null),
  identifiers: z.array(z.array(z.string())).optional(),
  connections: z.array(z.array(z.string())).optional(),
  config_entries: z.array(z.string()).optional(),
  configuration_url: nullableString.optional(),
  primary_config_entry: nullableString.optional(),
  created_at: timestamp,
  modified_at: timestamp,
});
export type DeviceEntry = z.infer<typeof DeviceEntry>;

export const EntityEntry = z.looseObject({
  entity_id: z.string(),
  id: z.string(),
  unique_id: z.string().optional(),
  platform: z.string(),
  name: nullableString.default(null),
  original_name: nullableString.default(null),
  device_id: nullableString.default(null),
  area_id: nullableString.default(null),
  labels: z.array(z.string()).default([]),
  icon: nullableString.default(null),
  disabled_by: nullableString.default(null),
  hidden_by: nullableString.default(null),
  entity_category: nullableString.default(null),
  has_entity_name: z.boolean().default(false),
  translation_key: nullableString.optional(),
  config_entry_id: nullableString.optional(),
  categories: z.record(z.string(), z.string()).optional(),
  options: z.record(z.string(), z.unknown()).nullable().optional(),
  created_at: timestamp,
  modified_at: timestamp,
});
export type EntityEntry = z.infer<typeof EntityEntry>;

/** The parts of get_config (hass.config.as_dict()) this project uses. */
export const HaCoreConfig = z.looseObject({
  version: z.string(),
  time_zone: z.string(),
  latitude: z.number(),
  longitude: z.number(),
  elevation: z.number().default(0),
  location_name: z.string().default('Home'),
  unit_system: z.looseObject({ temperature: z.string() }).optional(),
  components: z.array(z.string()).default([]),
  country: nullableString.optional(),
  language: z.string().optional(),
  currency: z.string().optional(),
  state: z.string().optional(),
});
export type HaCoreConfig = z.infer<typeof HaCoreConfig>;

export const REGISTRY_KINDS = ['areas', 'floors', 'devices', 'entities', 'labels'] as const;
export type RegistryKind = (typeof REGISTRY_KINDS)[number];

/** The list command and the update event of each registry. */
export const REGISTRY_WIRE: Record<RegistryKind, { list: string; event: string }> = {
  areas: { list: 'config/area_registry/list', event: 'area_registry_updated' },
  floors: { list: 'config/floor_registry/list', event: 'floor_registry_updated' },
  devices: { list: 'config/device_registry/list', event: 'device_registry_updated' },
  entities: { list: 'config/entity_registry/list', event: 'entity_registry_updated' },
  labels: { list: 'config/label_registry/list', event: 'label_registry_updated' },
};

export const REGISTRY_SCHEMAS = {
  areas: AreaEntry,
  floors: FloorEntry,
  devices: DeviceEntry,
  entities: EntityEntry,
  labels: LabelEntry,
} as const;

export interface HaRegistries {
  areas: readonly AreaEntry[];
  floors: readonly FloorEntry[];
  devices: readonly DeviceEntry[];
  entities: readonly EntityEntry[];
  labels: readonly LabelEntry[];
}
