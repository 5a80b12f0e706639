// After onboarding: the things a person does in the UI, done through the same WebSocket APIs.
import { startBroker } from './broker.ts';
import { openHaSocket } from './ws-session.ts';

/**
 * Onboarding's core-config step starts flows for cloud integrations (google_translate, met,
 * radio_browser). Their libraries are not installed and nothing may reach the internet: their
 * entries are removed through the config entries API (on every start: the flows finish a moment
 * after onboarding does).
 */
const ONBOARDING_CLOUD_DOMAINS = ['google_translate', 'met', 'radio_browser'];

export async function removeCloudEntries(url: string, token: string): Promise<string[]> {
  const headers = { authorization: `Bearer ${token}` };
  const entries = (await (await fetch(`${url}/api/config/config_entries/entry`, { headers })).json()) as { entry_id: string; domain: string }[];
  const removed: string[] = [];
  for (const e of entries.filter((x) => ONBOARDING_CLOUD_DOMAINS.includes(x.domain))) {
    const res = await fetch(`${url}/api/config/config_entries/entry/${e.entry_id}`, { method: 'DELETE', headers });
    if (!res.ok) throw new Error(`removing the ${e.domain} entry answered ${res.status}`);
    removed.push(e.domain);
  }
  return removed;
}

/** Confirms the http config HA took over from configuration.yaml (else it reverts in 5 min). */
export async function promoteHttpConfig(url: string, token: string): Promise<void> {
  const ws = await openHaSocket(url, token);
  try {
    const config = await ws.command<{ pending: unknown }>({ type: 'http/config' });
    if (config.pending) await ws.command({ type: 'http/config/promote' });
  } finally {
    ws.close();
  }
}

interface EntityEntry {
  entity_id: string;
  device_id: string | null;
  labels: string[];
}

/** Floors, areas (onboarding made Living Room, Kitchen and Bedroom), labels, and where things are. */
const FLOORS = [
  { name: 'Ground floor', level: 0, areas: ['Living Room', 'Kitchen', 'Hallway', 'Garage'] },
  { name: 'First floor', level: 1, areas: ['Bedroom'] },
];
const LABELS = [
  { name: 'Security', color: 'red', icon: 'mdi:shield-home' },
  { name: 'Lighting', color: 'amber', icon: 'mdi:lightbulb-group' },
];
/** entity -> area of its device (or of the entity, when it has no device), and its labels. */
const PLACES: Record<string, { area: string; labels?: string[] }> = {
  'light.bed_light': { area: 'bedroom', labels: ['lighting'] },
  'light.ceiling_lights': { area: 'living_room', labels: ['lighting'] },
  'light.living_room_rgbww_lights': { area: 'living_room', labels: ['lighting'] },
  'light.kitchen_lights': { area: 'kitchen', labels: ['lighting'] },
  'light.office_rgbw_lights': { area: 'bedroom', labels: ['lighting'] },
  'light.entrance_color_white_lights': { area: 'hallway', labels: ['lighting'] },
  'binary_sensor.front_door': { area: 'hallway', labels: ['security'] },
  'binary_sensor.movement_backyard': { area: 'hallway' },
  'cover.garage_door': { area: 'garage', labels: ['security'] },
  'climate.hvac': { area: 'living_room' },
  'climate.heatpump': { area: 'bedroom' },
  'switch.decorative_lights': { area: 'living_room' },
  'sensor.outside_temperature': { area: 'garage' },
};

export async function layOutHome(url: string, token: string, mqttPort: number): Promise<void> {
  const ws = await openHaSocket(url, token);
  try {
    // Each step looks first, so a layout interrupted halfway is finished by the next run.
    const areas = await ws.command<{ area_id: string; name: string }[]>({ type: 'config/area_registry/list' });
    const floors = await ws.command<{ floor_id: string; name: string }[]>({ type: 'config/floor_registry/list' });
    const labels = await ws.command<{ label_id: string; name: string }[]>({ type: 'config/label_registry/list' });
    for (const floor of FLOORS) {
      const { floor_id } = floors.find((f) => f.name === floor.name) ?? (await ws.command<{ floor_id: string }>({ type: 'config/floor_registry/create', name: floor.name, level: floor.level }));
      for (const name of floor.areas) {
        const existing = areas.find((a) => a.name === name);
        if (existing) await ws.command({ type: 'config/area_registry/update', area_id: existing.area_id, floor_id });
        else await ws.command({ type: 'config/area_registry/create', name, floor_id });
      }
    }
    for (const label of LABELS) if (!labels.some((l) => l.name === label.name)) await ws.command({ type: 'config/label_registry/create', ...label });
    // On the first start the demo's config entry is created, then its platforms set up one by one:
    // wait for every entity placed here to be registered.
    let entities: EntityEntry[] = [];
    let missing: string[] = [];
    for (const deadline = Date.now() + 120_000; ; ) {
      entities = await ws.command<EntityEntry[]>({ type: 'config/entity_registry/list' });
      missing = Object.keys(PLACES).filter((id) => !entities.some((e) => e.entity_id === id));
      if (missing.length === 0) break;
      if (Date.now() > deadline) throw new Error(`HA's demo registered none of ${missing.join(', ')} within 2 minutes (changed in this HA version?): update PLACES in scripts/real-ha/home-layout.ts`);
      await new Promise((r) => setTimeout(r, 500));
    }
    for (const [entityId, place] of Object.entries(PLACES)) {
      const entry = entities.find((e) => e.entity_id === entityId) as EntityEntry;
      if (entry.device_id) await ws.command({ type: 'config/device_registry/update', device_id: entry.device_id, area_id: place.area });
      else await ws.command({ type: 'config/entity_registry/update', entity_id: entityId, area_id: place.area });
      if (place.labels) await ws.command({ type: 'config/entity_registry/update', entity_id: entityId, labels: place.labels });
    }
  } finally {
    ws.close();
  }
  await addMqttEntry(url, token, mqttPort);
}

/** HA's mqtt config flow checks the broker answers: a broker listens on the port for the flow.
 * MQTT 3.1.1: the embedded broker (aedes) and the test brokers speak it; 5 is HA's default. */
async function addMqttEntry(url: string, token: string, port: number): Promise<void> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const broker = await startBroker('127.0.0.1', port);
  try {
    const start = (await (await fetch(`${url}/api/config/config_entries/flow`, { method: 'POST', headers, body: JSON.stringify({ handler: 'mqtt', show_advanced_options: false }) })).json()) as { flow_id?: string; type?: string; reason?: string };
    if (start.type === 'abort') return; // already configured (mqtt allows one entry)
    if (!start.flow_id) throw new Error(`mqtt config flow did not start: ${JSON.stringify(start)}`);
    const done = (await (await fetch(`${url}/api/config/config_entries/flow/${start.flow_id}`, { method: 'POST', headers, body: JSON.stringify({ broker: '127.0.0.1', port, protocol: '3.1.1', other_settings: { set_client_cert: false, set_ca_cert: 'off', transport: 'tcp' } }) })).json()) as { type?: string };
    if (done.type !== 'create_entry') throw new Error(`mqtt config flow did not create an entry: ${JSON.stringify(done)}`);
  } finally {
    await broker.close();
  }
}
