// The part of the home a request is about, for main's one-call prompt (issue 15): the entities of
// the areas the request names, or whose own names it uses, narrowed to the domains it names
// ("light", "lamp", "temperature"...); all entities of a named domain when no area or name
// matches. Matching is on words only (no LLM): a home of 300 entities gives a map of a few, and a
// request that names nothing (chit-chat) gives none, only the list of areas.
import type { HaClient } from '../../ha/client.ts';
import { compactMap, SENSE_DOMAINS } from './compact-map.ts';

/** Words that name a domain. A word may name several ("temperature": a sensor or a thermostat). */
const DOMAIN_WORDS: Record<string, readonly string[]> = {
  light: ['light', 'lamp', 'bulb', 'brightness', 'dim', 'bright'],
  switch: ['switch', 'plug', 'outlet', 'socket'],
  fan: ['fan'],
  cover: ['cover', 'blind', 'shade', 'curtain', 'shutter', 'garage', 'gate', 'awning'],
  lock: ['lock', 'unlock', 'locked', 'unlocked', 'deadbolt'],
  climate: ['heating', 'heat', 'thermostat', 'temperature', 'cool', 'cooling', 'hvac', 'ac', 'warm', 'cold'],
  sensor: ['temperature', 'humidity', 'sensor', 'power', 'energy', 'battery', 'consumption', 'warm', 'cold', 'hot'],
  binary_sensor: ['motion', 'door', 'window', 'open', 'closed', 'occupancy', 'presence', 'leak', 'smoke'],
  media_player: ['tv', 'television', 'music', 'speaker', 'media', 'play', 'pause', 'volume', 'radio'],
  scene: ['scene'],
  script: ['script'],
  vacuum: ['vacuum', 'robot', 'clean', 'hoover'],
  alarm_control_panel: ['alarm', 'arm', 'disarm'],
  person: ['who', 'home', 'away', 'person'],
  device_tracker: ['where', 'phone'],
  weather: ['weather', 'rain', 'forecast'],
  sun: ['sun', 'sunset', 'sunrise'],
  humidifier: ['humidifier'],
  water_heater: ['boiler', 'water'],
  valve: ['valve'],
  siren: ['siren'],
  input_boolean: ['mode'],
};

/** Entities shown when only a domain is named ("turn off all the lights"). */
const MAX_DOMAIN_ONLY = 60;

const STOP = new Set(['the', 'and', 'all', 'off', 'on', 'set', 'turn', 'what', 'is', 'are', 'of', 'in', 'to', 'a', 'an', 'my', 'it', 'please']);

function words(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (!w) continue;
    out.add(w);
    // "lights" -> "light", "blinds" -> "blind": a plural names the same thing.
    if (w.length > 3 && w.endsWith('s')) out.add(w.slice(0, -1));
  }
  return out;
}

export interface RelevantMap {
  /** The compact map of the matching entities (with their domains' services), '' when none. */
  map: string;
  /** How many entities it shows. */
  entities: number;
  /** Every area of the home, by name: what the model may ask about when the map is empty. */
  areas: string[];
}

export function relevantMap(ha: Pick<HaClient, 'states' | 'registries' | 'services'>, text: string): RelevantMap {
  const said = words(text);
  const domains = new Set(Object.entries(DOMAIN_WORDS).flatMap(([d, ws]) => (ws.some((w) => said.has(w)) ? [d] : [])));
  const named = (name: string) => [...words(name)].some((w) => w.length >= 3 && !STOP.has(w) && !/^\d+$/.test(w) && !isDomainWord(w) && said.has(w));
  const wholeName = (name: string) => {
    const ws = [...words(name)].filter((w) => !/^\d+$/.test(w));
    return ws.length > 0 && ws.every((w) => said.has(w));
  };
  const inDomain = (id: string) => domains.size === 0 || domains.has(id.slice(0, id.indexOf('.')));
  // Area names may carry the floor: "Kitchen (Ground floor)".
  const specific = (name: string, area: string) => (area !== 'No area' && named(area.replace(/\s*\(.*\)$/, ''))) || named(name) || wholeName(name);

  let entities = 0;
  let map = compactMap(ha, { domains: SENSE_DOMAINS, withServices: true, include: (id, name, area) => {
    const ok = specific(name, area) && (inDomain(id) || wholeName(name));
    if (ok) entities++;
    return ok;
  } });
  if (entities === 0 && domains.size > 0) {
    let n = 0;
    map = compactMap(ha, { domains: SENSE_DOMAINS, withServices: true, include: (id) => inDomain(id) && n++ < MAX_DOMAIN_ONLY });
    entities = Math.min(n, MAX_DOMAIN_ONLY);
  }
  return { map: entities > 0 ? map : '', entities, areas: ha.registries().areas.map((a) => a.name).sort() };
}

function isDomainWord(w: string): boolean {
  return Object.values(DOMAIN_WORDS).some((ws) => ws.includes(w));
}
