// Topics outside the system root that the owner lets agents and rules READ (option
// `mqtt_read_topics`): a Zigbee2MQTT or Tasmota device, a raw sensor. Everything an agent or a
// rule names is relative to the root (agent-topics.ts), except a filter that lies wholly inside
// one of these: that one is the broker topic as it is (`zigbee2mqtt/door_sensor`). Publishing
// never leaves the root, whatever this list says.
//
// An allowed filter must not reach the system's own topics (the root), `$SYS` and other `$`
// topics, or shadow the root-relative names system topics use (`custom/...`, `ha/...`): the
// owned-topic and read checks of the root would otherwise be sidestepped by spelling a system
// topic as an external one. A leading wildcard is refused for the same reason (`+/#` is the root
// too), and so is `#` alone. What arrives on these topics is broker data from any device: it is
// parsed as untrusted input like every other inbound message, and oversized payloads are dropped
// by the bus as malformed before anyone parses them.
import { filtersOverlap, isValidTopicFilter } from './topic-bus/topic-filter.ts';

/** Largest payload delivered from an external topic; bigger ones are dropped as malformed. */
export const EXTERNAL_MAX_PAYLOAD_BYTES = 256 * 1024;

/** First levels of the root-relative names of system topics (bus/topics.ts): not shadowed. */
const SYSTEM_FIRST_LEVELS: ReadonlySet<string> = new Set(['agents', 'nodes', 'system', 'ha', 'custom', 'schedule']);

/** Why `filter` cannot be an allowed external read filter under this root; undefined when it can. */
export function externalFilterProblem(root: string, filter: string): string | undefined {
  if (filter.length > 512 || !isValidTopicFilter(filter)) return 'not a valid MQTT topic filter (+ fills a whole level, # is the last level)';
  const [first = ''] = filter.split('/');
  if (first === '') return 'must not start with "/" or be empty';
  if (first === '#' || first === '+') return 'must name its first level (e.g. zigbee2mqtt/#); a leading wildcard would read the whole broker, Wactorz\'s own topics included';
  if (first.startsWith('$')) return '$SYS and other $ topics are the broker\'s own';
  if (filtersOverlap(filter, `${root}/#`)) return `overlaps Wactorz's own topics under ${root}/, which agents read only through the topic rules`;
  if (SYSTEM_FIRST_LEVELS.has(first)) return `${first}/... is the root-relative name of Wactorz's system topics; name the device's own topic (e.g. zigbee2mqtt/#)`;
  return undefined;
}

/** Checks the option's filters; the problems, one line each (empty when all are fine). */
export function externalFilterProblems(root: string, filters: readonly string[]): string[] {
  return filters.flatMap((f) => {
    const why = externalFilterProblem(root, f);
    return why === undefined ? [] : [`"${f}": ${why}`];
  });
}

/**
 * Whether every topic `filter` can match is matched by `allowed` [MQTT-4.7.1]: level by level,
 * `#` in `allowed` takes the rest, `+` takes one level (not a `#` of `filter`), literals must be
 * equal (a `+` of `filter` is wider than a literal).
 */
export function filterWithin(filter: string, allowed: string): boolean {
  const f = filter.split('/');
  const a = allowed.split('/');
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (x === '#') return true;
    const y = f[i];
    if (y === undefined || y === '#') return false;
    if (x !== '+' && x !== y) return false;
  }
  return f.length === a.length;
}

/** Whether `filter` (as an agent or rule wrote it) names an allowed external topic. */
export function isExternalRead(allowed: readonly string[] | undefined, filter: string): boolean {
  return allowed !== undefined && allowed.length > 0 && !filter.startsWith('$') && allowed.some((a) => filterWithin(filter, a));
}

/**
 * First levels where devices publish on a shared broker. A root-relative name starting with one
 * of these (or with the first level of an allowed filter) means a device's topic, never one
 * under the root: reading it without the owner's leave, or publishing there at all, is refused
 * with a reason instead of quietly going to `wactorz/zigbee2mqtt/...`, where nothing ever arrives.
 */
const DEVICE_FIRST_LEVELS: ReadonlySet<string> = new Set(['zigbee2mqtt', 'zwave', 'zwavejs', 'zwave2mqtt', 'tasmota', 'tele', 'stat', 'cmnd', 'shellies', 'shelly', 'esphome', 'frigate', 'rtl_433', 'owntracks', 'homeassistant', 'hass']);

/** Whether a root-relative name lies in a device namespace outside the root (see DEVICE_FIRST_LEVELS). */
export function isDeviceNamespace(allowed: readonly string[] | undefined, topic: string): boolean {
  const first = topic.split('/')[0] ?? '';
  return DEVICE_FIRST_LEVELS.has(first) || (allowed ?? []).some((a) => a.split('/')[0] === first);
}

/** Why a filter in a device namespace that the owner did not allow cannot be read. */
export function notAllowedReason(allowed: readonly string[] | undefined): string {
  const list = allowed !== undefined && allowed.length > 0 ? `it allows only ${allowed.join(', ')}` : 'it allows none';
  return `it is a device topic outside Wactorz that the owner has not allowed in the add-on option mqtt_read_topics (${list})`;
}

/**
 * The allowed filters as a prompt section: the rule planner's and main's build-agent prompt (both
 * write ha_actuator mqtt_topics and agent.subscribe code); empty when none are allowed.
 */
export function externalTopicsSection(allowed: readonly string[] | undefined): string {
  if (!allowed || allowed.length === 0) return '';
  return `DEVICE TOPICS OUTSIDE WACTORZ (read-only, allowed by the owner): ${allowed.join(', ')}
  Name them exactly as written (no root prefix) in an ha_actuator's "mqtt_topics" or in agent.subscribe/agent.window; the
  payload is the device's own JSON (e.g. zigbee2mqtt/<device> -> {"contact":false,"battery":90}: "detection_filter":{"contact":false})
  or plain text. Agents can never publish there.`;
}
