// The demo home's five registries (areas, floors, devices, entities, labels), in the shape the
// config/*_registry/list commands of HA 2025.7 return. Changes fire the matching
// *_registry_updated event with HA's payload ({action, <kind>_id, changes?}).
import type { AreaEntry, DeviceEntry, EntityEntry, FloorEntry, HaRegistries, LabelEntry, RegistryKind } from '../schemas.ts';
import { REGISTRY_WIRE } from '../schemas.ts';
import type { DemoEventBus } from './event-bus.ts';
import { AREAS, DEVICES, ENTITIES, FLOORS, INSTALLED_AT, LABELS, demoId } from './home-data.ts';

type EntryOf<K extends RegistryKind> = HaRegistries[K][number];

const ID_KEY: Record<RegistryKind, string> = { areas: 'area_id', floors: 'floor_id', devices: 'id', entities: 'entity_id', labels: 'label_id' };
const EVENT_ID_KEY: Record<RegistryKind, string> = { areas: 'area_id', floors: 'floor_id', devices: 'device_id', entities: 'entity_id', labels: 'label_id' };

export class DemoRegistries {
  readonly #bus: DemoEventBus;
  readonly #now: () => number;
  readonly #lists: { [K in RegistryKind]: EntryOf<K>[] };

  constructor(bus: DemoEventBus, now: () => number) {
    this.#bus = bus;
    this.#now = now;
    this.#lists = buildRegistries();
  }

  list<K extends RegistryKind>(kind: K): readonly EntryOf<K>[] {
    return this.#lists[kind];
  }

  get<K extends RegistryKind>(kind: K, id: string): EntryOf<K> | undefined {
    return (this.#lists[kind] as EntryOf<K>[]).find((e) => (e as Record<string, unknown>)[ID_KEY[kind]] === id);
  }

  /** The area of an entity: its own, else its device's (how HA resolves area targets). */
  areaOfEntity(entityId: string): string | null {
    const entry = this.get('entities', entityId);
    if (!entry) return null;
    if (entry.area_id) return entry.area_id;
    return entry.device_id ? (this.get('devices', entry.device_id)?.area_id ?? null) : null;
  }

  create<K extends RegistryKind>(kind: K, entry: EntryOf<K>): void {
    const stamp = this.#now() / 1000;
    (this.#lists[kind] as EntryOf<K>[]).push({ ...entry, created_at: stamp, modified_at: stamp });
    this.#fire(kind, 'create', idOf(kind, entry));
  }

  update<K extends RegistryKind>(kind: K, id: string, changes: Partial<EntryOf<K>>): EntryOf<K> {
    const list = this.#lists[kind] as EntryOf<K>[];
    const index = list.findIndex((e) => idOf(kind, e) === id);
    const current = list[index];
    if (!current) throw new Error(`${kind}: no entry ${id}`);
    const old: Record<string, unknown> = {};
    for (const key of Object.keys(changes)) old[key] = (current as Record<string, unknown>)[key];
    const next = { ...current, ...changes, modified_at: this.#now() / 1000 } as EntryOf<K>;
    list[index] = next;
    this.#fire(kind, 'update', id, old);
    return next;
  }

  remove(kind: RegistryKind, id: string): boolean {
    const list = this.#lists[kind] as { [k: string]: unknown }[];
    const index = list.findIndex((e) => e[ID_KEY[kind]] === id);
    if (index < 0) return false;
    list.splice(index, 1);
    this.#fire(kind, 'remove', id);
    return true;
  }

  #fire(kind: RegistryKind, action: 'create' | 'update' | 'remove', id: string, changes?: Record<string, unknown>): void {
    const data: Record<string, unknown> = { action, [EVENT_ID_KEY[kind]]: id };
    // Only device and entity updates carry the previous values, as in HA.
    if (changes && action === 'update' && (kind === 'entities' || kind === 'devices')) data.changes = changes;
    this.#bus.fire(REGISTRY_WIRE[kind].event, data);
  }
}

function idOf(kind: RegistryKind, entry: object): string {
  return String((entry as Record<string, unknown>)[ID_KEY[kind]]);
}

function buildRegistries(): { [K in RegistryKind]: EntryOf<K>[] } {
  const stamps = { created_at: INSTALLED_AT, modified_at: INSTALLED_AT };
  const floors: FloorEntry[] = FLOORS.map((f) => ({ ...f, aliases: [], ...stamps }));
  const areas: AreaEntry[] = AREAS.map((a) => ({
    area_id: a.area_id,
    name: a.name,
    floor_id: a.floor_id,
    icon: a.icon,
    picture: null,
    aliases: [],
    labels: [],
    temperature_entity_id: a.temperature ?? null,
    humidity_entity_id: a.humidity ?? null,
    ...stamps,
  }));
  const labels: LabelEntry[] = LABELS.map((l) => ({ ...l, ...stamps }));
  const devices: DeviceEntry[] = DEVICES.map((d) => {
    const entry = demoId(`config_entry:${d.integration}`);
    return {
      id: demoId(`device:${d.key}`),
      name: d.name,
      name_by_user: null,
      area_id: d.area_id,
      manufacturer: d.manufacturer,
      model: d.model,
      model_id: null,
      sw_version: d.sw_version ?? null,
      hw_version: null,
      serial_number: null,
      labels: [],
      disabled_by: null,
      entry_type: d.entry_type ?? null,
      via_device_id: null,
      identifiers: [[d.integration, d.key]],
      connections: [],
      config_entries: [entry],
      config_entries_subentries: { [entry]: [null] },
      configuration_url: null,
      primary_config_entry: entry,
      ...stamps,
    };
  });
  const entities: EntityEntry[] = ENTITIES.filter((e) => e.platform !== 'zone').map((e) => ({
    entity_id: e.entity_id,
    id: demoId(`entity:${e.entity_id}`),
    unique_id: e.device ? `${e.device}-${e.entity_id.split('.')[1] ?? ''}` : (e.entity_id.split('.')[1] ?? e.entity_id),
    platform: e.platform,
    name: null,
    original_name: typeof e.attributes.friendly_name === 'string' ? e.attributes.friendly_name : null,
    device_id: e.device ? demoId(`device:${e.device}`) : null,
    area_id: null,
    labels: e.labels ?? [],
    icon: null,
    disabled_by: null,
    hidden_by: null,
    entity_category: e.entity_category ?? null,
    has_entity_name: false,
    translation_key: null,
    config_entry_id: e.device ? demoId(`config_entry:${DEVICES.find((d) => d.key === e.device)?.integration ?? ''}`) : null,
    config_subentry_id: null,
    categories: {},
    options: {},
    ...stamps,
  }));
  return { floors, areas, labels, devices, entities };
}
