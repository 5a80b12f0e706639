// From whatever an LLM wrote to the canonical spawn config's input: snake_case keys, field
// aliases, type inference, strings to lists, numeric strings to numbers, per-type defaults.
// Everything dropped or guessed becomes a warning; everything wrong is left for the schema to
// name. Relaxed-mode fields are refused before anything else looks at the block.
import { isValidSegment, relativeTopicFor } from '../../bus/topics.ts';
import { coerceTopicList } from '../../bus/topic-bus/topic-list.ts';
import { isPlainObject } from '../../bus/topic-bus/dotted-path.ts';
import { snakeCase } from '../../bus/topic-bus/contract.ts';
import { isSpawnType, SPAWN_TYPES, type SpawnType, VARIANTS } from './config-schema.ts';
import { normalizeDetectionFilter } from './detection-filter.ts';
import { normalizeHaAction, normalizeHaCondition } from '../../ha/action.ts';
import { checkRelaxedMode } from './relaxed-mode.ts';
import { normalizeSchedule } from './schedule.ts';

export interface SpawnIssue {
  /** Dotted field path ("actions.0.service"), or "" for the block as a whole. */
  path: string;
  message: string;
}

export type Normalized =
  | { ok: true; type: SpawnType; value: Record<string, unknown>; warnings: string[] }
  | { ok: false; issues: SpawnIssue[]; warnings: string[] };

const KEY_ALIASES: Record<string, string> = {
  agent_name: 'name', agent_type: 'type', desc: 'description',
  prompt: 'system_prompt', system: 'system_prompt', instructions: 'system_prompt',
  poll: 'poll_interval', poll_seconds: 'poll_interval', interval_seconds: 'poll_interval',
  packages: 'install', dependencies: 'install', npm: 'install', pip: 'install', requirements: 'install',
  subscribe: 'subscribes', subscriptions: 'subscribes', listens: 'subscribes',
  produces: 'publishes', publish_topics: 'publishes',
  inputs: 'input_schema', outputs: 'output_schema', schema: 'output_schema',
  filter: 'detection_filter', cooldown: 'cooldown_seconds', for: 'for_seconds', duration_seconds: 'for_seconds', hold_seconds: 'for_seconds', condition: 'conditions', action: 'actions',
  topic: 'mqtt_topics', topics: 'mqtt_topics', on: 'schedule', when: 'schedule', trigger: 'schedule',
  remote_node: 'node', node_name: 'node', hot_swap: 'replace', overwrite: 'replace', source: 'code', script: 'code',
};

const TYPE_ALIASES: Record<string, SpawnType> = {
  code: 'dynamic', javascript: 'dynamic', js: 'dynamic', python: 'dynamic', dynamic_agent: 'dynamic', custom: 'dynamic',
  chat: 'llm', llm_agent: 'llm', conversational: 'llm', assistant: 'llm',
  actuator: 'ha_actuator', ha: 'ha_actuator', home_assistant_actuator: 'ha_actuator', homeassistant_actuator: 'ha_actuator',
  haactuator: 'ha_actuator', ha_action: 'ha_actuator',
  schedule: 'scheduled', scheduler: 'scheduled', timer: 'scheduled', cron: 'scheduled', scheduled_trigger: 'scheduled',
};

/** Every field name a spawn block may use (canonical or alias): ranks candidate ends in lenient parsing. */
export const SPAWN_FIELD_NAMES: ReadonlySet<string> = new Set([
  ...Object.values(VARIANTS).flatMap((v) => Object.keys(v.shape)),
  ...Object.keys(KEY_ALIASES),
  'publish', 'automation_id', 'trusted', 'unsafe',
]);

export function normalizeSpawnInput(input: unknown): Normalized {
  const warnings: string[] = [];
  if (!isPlainObject(input)) {
    const got = Array.isArray(input) ? 'an array (use one block per agent)' : input === null ? 'null' : typeof input;
    return { ok: false, issues: [{ path: '', message: `expected a JSON object with name, type and fields, got ${got}` }], warnings };
  }
  const relaxed = checkRelaxedMode(renameKeys(input, warnings));
  warnings.push(...relaxed.warnings);
  if (relaxed.rejected.length) {
    return { ok: false, issues: relaxed.rejected.map((r) => ({ path: r.field, message: r.message })), warnings };
  }
  const raw = relaxed.rest;
  const type = resolveType(raw, warnings);
  if (!type.ok) return { ok: false, issues: [type.issue], warnings };
  const value: Record<string, unknown> = { ...raw, type: type.type };

  if (typeof value.name === 'string') value.name = value.name.trim();
  numeric(value, 'poll_interval');
  numeric(value, 'cooldown_seconds');
  boolean(value, 'replace');
  if (typeof value.install === 'string') value.install = value.install.split(/[\s,]+/).filter(Boolean);
  if (typeof value.capabilities === 'string') value.capabilities = value.capabilities.split(/\s*,\s*/).filter(Boolean);
  if (value.node === null || value.node === '' || value.node === 'local') delete value.node;

  if (type.type !== 'scheduled' && value.publish !== undefined && value.publishes === undefined) {
    value.publishes = value.publish;
    delete value.publish;
  }
  switch (type.type) {
    case 'dynamic':
    case 'llm':
      break;
    case 'ha_actuator':
      normalizeActuator(value, warnings);
      break;
    case 'scheduled':
      normalizeScheduled(value);
      break;
  }
  topics(value, 'publishes', warnings);
  topics(value, 'subscribes', warnings);

  const known = new Set(Object.keys(VARIANTS[type.type].shape));
  for (const key of Object.keys(value)) {
    if (!known.has(key)) {
      warnings.push(`ignored field "${key}": not used by ${type.type} agents`);
      delete value[key];
    }
  }
  return { ok: true, type: type.type, value, warnings };
}

function renameKeys(input: Record<string, unknown>, warnings: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [rawKey, v] of Object.entries(input)) {
    const snake = snakeCase(rawKey.trim());
    const key = KEY_ALIASES[snake] ?? snake;
    if (key in out) warnings.push(`"${rawKey}" repeats "${key}"; kept the first`);
    else out[key] = v;
  }
  return out;
}

function resolveType(raw: Record<string, unknown>, warnings: string[]): { ok: true; type: SpawnType } | { ok: false; issue: SpawnIssue } {
  const t = raw.type;
  if (t === undefined || t === null || t === '') {
    const guess = raw.actions !== undefined && raw.schedule === undefined ? 'ha_actuator'
      : raw.schedule !== undefined ? 'scheduled'
      : raw.code !== undefined ? 'dynamic'
      : raw.system_prompt !== undefined ? 'llm'
      : undefined;
    if (guess) {
      warnings.push(`no "type" given; treated as "${guess}"`);
      return { ok: true, type: guess };
    }
    return { ok: false, issue: { path: 'type', message: `is required: one of ${SPAWN_TYPES.join(', ')}` } };
  }
  if (typeof t !== 'string') return { ok: false, issue: { path: 'type', message: `expected one of ${SPAWN_TYPES.join(', ')}, got ${JSON.stringify(t)}` } };
  const key = snakeCase(t.trim());
  if (isSpawnType(key)) return { ok: true, type: key };
  const alias = TYPE_ALIASES[key];
  if (alias) {
    warnings.push(`type "${t}" read as "${alias}"`);
    return { ok: true, type: alias };
  }
  return { ok: false, issue: { path: 'type', message: `unknown agent type "${t}"; expected one of ${SPAWN_TYPES.join(', ')}` } };
}

function normalizeActuator(value: Record<string, unknown>, warnings: string[]): void {
  // The planner sometimes names the trigger topics `subscribes`, as for any other agent.
  if (value.mqtt_topics === undefined && value.subscribes !== undefined) {
    value.mqtt_topics = value.subscribes;
    warnings.push('ha_actuator: used "subscribes" as mqtt_topics');
  }
  topics(value, 'mqtt_topics', warnings);
  if (value.automation_id === undefined && typeof value.name === 'string') value.automation_id = value.name;
  if (value.detection_filter !== undefined) value.detection_filter = normalizeDetectionFilter(value.detection_filter);
  if (value.for_minutes !== undefined && value.for_seconds === undefined) value.for_seconds = Number(value.for_minutes) * 60;
  delete value.for_minutes;
  if (value.for_seconds !== undefined) value.for_seconds = durationSeconds(value.for_seconds);
  value.conditions = listOf(value.conditions, normalizeHaCondition);
  value.actions = listOf(value.actions, normalizeHaAction);
  if (value.conditions === undefined) delete value.conditions;
  if (value.actions === undefined) delete value.actions;
}

function normalizeScheduled(value: Record<string, unknown>): void {
  if (value.schedule !== undefined) value.schedule = normalizeSchedule(value.schedule);
  const publish = value.publish;
  delete value.publish;
  if (typeof publish === 'string' && value.publish_topic === undefined) value.publish_topic = publish;
  if (isPlainObject(publish)) {
    if (value.publish_topic === undefined && publish.topic !== undefined) value.publish_topic = publish.topic;
    if (value.payload === undefined && publish.payload !== undefined) value.payload = publish.payload;
  }
  // The default is the map's own topic; a name that cannot be a topic level gets none here (the
  // name check refuses the block with its own message).
  if (value.publish_topic === undefined && typeof value.name === 'string' && isValidSegment(value.name)) value.publish_topic = relativeTopicFor('scheduleFired', { name: value.name });
  const actions = listOf(value.actions, normalizeHaAction);
  if (actions === undefined) delete value.actions;
  else value.actions = actions;
}

function listOf(v: unknown, each: (x: unknown) => unknown): unknown {
  if (v === undefined || v === null) return undefined;
  return (Array.isArray(v) ? v : [v]).map(each);
}

function topics(value: Record<string, unknown>, key: string, warnings: string[]): void {
  if (value[key] === undefined) return;
  const { topics: list, dropped } = coerceTopicList(value[key]);
  for (const d of dropped) warnings.push(`${key}: dropped ${d}`);
  value[key] = list;
}

/** HA writes `for:` as "00:10:00" or {minutes: 10}; a number is seconds. Anything else is left for the schema to refuse. */
function durationSeconds(v: unknown): unknown {
  if (typeof v === 'string') {
    const hms = /^(\d+):(\d{1,2})(?::(\d{1,2}))?$/.exec(v.trim());
    if (hms) return hms[3] === undefined ? Number(hms[1]) * 3600 + Number(hms[2]) * 60 : Number(hms[1]) * 3600 + Number(hms[2]) * 60 + Number(hms[3]);
    return v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
  }
  if (isPlainObject(v)) {
    const n = (k: string) => (typeof v[k] === 'number' || typeof v[k] === 'string' ? Number(v[k]) : 0);
    const total = n('days') * 86_400 + n('hours') * 3600 + n('minutes') * 60 + n('seconds');
    return Number.isFinite(total) ? total : v;
  }
  return v;
}

function numeric(value: Record<string, unknown>, key: string): void {
  const v = value[key];
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) value[key] = Number(v);
}

function boolean(value: Record<string, unknown>, key: string): void {
  const v = value[key];
  if (typeof v === 'string' && /^(true|false|yes|no)$/i.test(v)) value[key] = /^(true|yes)$/i.test(v);
}
