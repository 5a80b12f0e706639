// Feasibility before any LLM call: when the request names a kind of device the home does not have
// (a camera, a lock, a motion sensor...), the user gets a clear answer instead of a plan wired to
// invented entity ids. Only unambiguous device words are checked; the LLM may still answer
// "not feasible" for what words cannot tell.
import type { HomeEntity, HomeSnapshot } from './home.ts';

interface Requirement {
  words: RegExp;
  what: string;
  satisfied: (e: HomeEntity) => boolean;
  /** Or a service that does the job (notify.*). */
  service?: (home: HomeSnapshot) => boolean;
}

const named = (re: RegExp) => (e: HomeEntity) => re.test(e.name.toLowerCase()) || re.test(e.entity_id);
const isClass = (domain: string, ...classes: string[]) => (e: HomeEntity) => e.domain === domain && (classes.length === 0 || classes.includes(e.device_class ?? ''));
const any = (...tests: ((e: HomeEntity) => boolean)[]) => (e: HomeEntity) => tests.some((t) => t(e));

const REQUIREMENTS: readonly Requirement[] = [
  { words: /\b(camera|webcam|cam|snapshot|cctv|doorbell cam)\b/, what: 'camera (camera.* entity)', satisfied: isClass('camera') },
  { words: /\b(lock|unlock|locked|unlocked)\b/, what: 'lock (lock.* entity)', satisfied: isClass('lock') },
  { words: /\b(motion|movement|occupancy|presence sensor)\b/, what: 'motion or occupancy sensor', satisfied: any(isClass('binary_sensor', 'motion', 'occupancy', 'presence'), named(/motion|occupancy|presence|pir/)) },
  { words: /\b(temperature|degrees|°c|°f|too (hot|cold))\b/, what: 'temperature sensor', satisfied: any(isClass('sensor', 'temperature'), isClass('climate'), isClass('weather')) },
  { words: /\bhumidity\b/, what: 'humidity sensor', satisfied: any(isClass('sensor', 'humidity'), isClass('climate')) },
  { words: /\b(lights?|lamps?|bulbs?)\b/, what: 'light', satisfied: any(isClass('light'), (e) => e.domain === 'switch' && named(/light|lamp/)(e)) },
  { words: /\bgarage\b/, what: 'garage door', satisfied: any(isClass('cover', 'garage'), named(/garage/)) },
  { words: /\b(thermostat|heating|heater|hvac)\b/, what: 'thermostat (climate.* entity)', satisfied: isClass('climate') },
  { words: /\b(vacuum|robot cleaner|roomba)\b/, what: 'vacuum (vacuum.* entity)', satisfied: isClass('vacuum') },
  { words: /\b(alarm system|alarm panel|arm the alarm|disarm)\b/, what: 'alarm panel (alarm_control_panel.* entity)', satisfied: isClass('alarm_control_panel') },
  { words: /\b(blinds?|shutters?|curtains?)\b/, what: 'blinds or shutters (cover.* entity)', satisfied: any(isClass('cover', 'blind', 'shutter', 'curtain', 'shade'), named(/blind|shutter|curtain|shade/)) },
  { words: /\b(fan)\b/, what: 'fan', satisfied: any(isClass('fan'), named(/\bfan\b/)) },
  { words: /\b(media player|speaker|music|spotify|sonos)\b/, what: 'media player', satisfied: isClass('media_player') },
  { words: /\b(window)\b/, what: 'window sensor or cover', satisfied: any(isClass('binary_sensor', 'window'), named(/window/)) },
  {
    words: /\b(notify|notification|push|phone|message me|text me|alert me|send me)\b/,
    what: 'notification service (notify.*)',
    satisfied: () => false,
    service: (home) => (home.services.get('notify')?.size ?? 0) > 0 || (home.chatTargets?.length ?? 0) > 0,
  },
];

export interface Feasibility {
  ok: boolean;
  /** What the home lacks, in words. */
  missing: string[];
}

export function checkFeasibility(request: string, home: HomeSnapshot): Feasibility {
  const text = request.toLowerCase();
  const entities = [...home.entities.values()];
  const missing: string[] = [];
  for (const r of REQUIREMENTS) {
    if (!r.words.test(text)) continue;
    if (r.service?.(home) === true || entities.some(r.satisfied)) continue;
    missing.push(r.what);
  }
  return { ok: missing.length === 0, missing };
}

export function infeasibleAnswer(request: string, missing: readonly string[], home: HomeSnapshot): string {
  const domains = [...new Set([...home.entities.values()].map((e) => e.domain))].sort();
  return [
    `I can't set up "${request}": your home has no ${missing.join(', no ')}.`,
    `What Home Assistant offers here: ${domains.join(', ')}.`,
    'Add the device to Home Assistant (or tell me which existing entity to use) and ask again.',
  ].join('\n');
}
