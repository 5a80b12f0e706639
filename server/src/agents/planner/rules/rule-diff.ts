// What changes between two versions of a rule, per agent and per field, in words a person reads
// ("hall-motion-light cooldown: 600 s → 1800 s"): an edit proposal shows it against the running
// version, and every kept version carries it against the version before. Agents are matched by
// name; one removed and one added of the same type are the same agent renamed.
import type { PlanChange } from '../../../contract/rule-versions.ts';
import type { SpawnConfig } from '../../spawn-config/config-schema.ts';
import { PATTERN_LABELS } from '../pipeline/pipeline-plan.ts';
import { describeAgent, formatAction, formatSchedule } from '../proposals/proposal-format.ts';
import type { ProposalPlan, ProposedAgent } from '../proposals/proposal.ts';

export type { PlanChange };

/** Config fields by the name a person knows them by, in the order they are shown. */
const FIELDS: readonly (readonly [key: string, label: string])[] = [
  ['type', 'type'],
  ['mqtt_topics', 'trigger'],
  ['detection_filter', 'filter'],
  ['conditions', 'conditions'],
  ['schedule', 'schedule'],
  ['actions', 'actions'],
  ['cooldown_seconds', 'cooldown'],
  ['publish_topic', 'publish topic'],
  ['payload', 'payload'],
  ['poll_interval', 'poll interval'],
  ['code', 'code'],
  ['system_prompt', 'prompt'],
  ['subscribes', 'subscribes'],
  ['publishes', 'publishes'],
  ['node', 'node'],
];
/** Not a behaviour: the name is the agent's identity, replace a spawn flag, automation_id follows the name. */
const IGNORED = new Set(['name', 'replace', 'automation_id', 'description']);
/** A whole value shown in a diff is capped; code is the long one. */
const MAX_VALUE_CHARS = 4000;

export function diffPlans(before: ProposalPlan, after: ProposalPlan): PlanChange[] {
  const out: PlanChange[] = [];
  if (before.title !== after.title) out.push({ agent: null, change: 'changed', field: 'title', before: before.title, after: after.title });
  if (before.pattern !== after.pattern) out.push({ agent: null, change: 'changed', field: 'pattern', before: patternLabel(before.pattern), after: patternLabel(after.pattern) });
  const oldByName = new Map(before.agents.map((a) => [a.config.name, a]));
  const newByName = new Map(after.agents.map((a) => [a.config.name, a]));
  const removed = before.agents.filter((a) => !newByName.has(a.config.name));
  const added = after.agents.filter((a) => !oldByName.has(a.config.name));
  const pairs: [ProposedAgent, ProposedAgent][] = after.agents.filter((a) => oldByName.has(a.config.name)).map((a) => [oldByName.get(a.config.name) as ProposedAgent, a]);
  const renamed = removed.length === 1 && added.length === 1 && removed[0].config.type === added[0].config.type;
  if (renamed) pairs.push([removed[0], added[0]]);
  for (const [a, b] of pairs) out.push(...diffAgent(a, b));
  if (!renamed) {
    for (const a of removed) out.push({ agent: a.config.name, change: 'removed', field: null, before: `${a.config.type}: ${describeAgent(a.config, a.description)}`, after: null });
    for (const a of added) out.push({ agent: a.config.name, change: 'added', field: null, before: null, after: `${a.config.type}: ${describeAgent(a.config, a.description)}` });
  }
  return out;
}

function diffAgent(a: ProposedAgent, b: ProposedAgent): PlanChange[] {
  const agent = b.config.name;
  const out: PlanChange[] = [];
  if (a.config.name !== b.config.name) out.push({ agent, change: 'changed', field: 'name', before: a.config.name, after: b.config.name });
  const oldC = a.config as Record<string, unknown>;
  const newC = b.config as Record<string, unknown>;
  const keys = new Set([...Object.keys(oldC), ...Object.keys(newC)].filter((k) => !IGNORED.has(k)));
  const ordered = [...FIELDS.filter(([k]) => keys.has(k)), ...[...keys].filter((k) => !FIELDS.some(([f]) => f === k)).sort().map((k) => [k, k.replace(/_/g, ' ')] as const)];
  for (const [key, label] of ordered) {
    const x = oldC[key];
    const y = newC[key];
    if (stable(x) === stable(y)) continue;
    const change = isEmpty(x) ? 'added' : isEmpty(y) ? 'removed' : 'changed';
    out.push({ agent, change, field: label, before: isEmpty(x) ? null : formatField(key, x, a.config), after: isEmpty(y) ? null : formatField(key, y, b.config) });
  }
  const da = a.description || a.config.description;
  const db = b.description || b.config.description;
  if (da !== db) out.push({ agent, change: 'changed', field: 'description', before: da || null, after: db || null });
  return out;
}

function formatField(key: string, value: unknown, config: SpawnConfig): string {
  const text = (() => {
    switch (key) {
      case 'mqtt_topics':
      case 'subscribes':
      case 'publishes':
        return (value as string[]).join(', ');
      case 'detection_filter':
        return Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k} ${typeof v === 'object' && v !== null ? JSON.stringify(v) : `= ${JSON.stringify(v)}`}`).join(' and ');
      case 'conditions':
        return (config.type === 'ha_actuator' ? (value as typeof config.conditions) : []).map((c) => `${c.entity_id}${c.attribute === 'state' ? '' : `.${c.attribute}`} ${c.operator} ${JSON.stringify(c.value)}`).join(' and ');
      case 'actions':
        return (value as Parameters<typeof formatAction>[0][]).map(formatAction).join('; ');
      case 'schedule':
        return formatSchedule(value as Parameters<typeof formatSchedule>[0]);
      case 'cooldown_seconds':
      case 'poll_interval':
        return seconds(value as number);
      default:
        return typeof value === 'string' ? value : JSON.stringify(value);
    }
  })();
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;
}

function seconds(s: number): string {
  if (s >= 60 && s % 60 === 0) return `${s} s (${s % 3600 === 0 ? `${s / 3600} h` : `${s / 60} min`})`;
  return `${s} s`;
}

function patternLabel(p: ProposalPlan['pattern'] | undefined): string {
  return p ? PATTERN_LABELS[p] : 'none';
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);
}

/** JSON with sorted keys: two configs that differ only in key order are the same. */
function stable(v: unknown): string {
  if (v === undefined) return 'undefined';
  return JSON.stringify(v, (_k, x: unknown) => (x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([p], [q]) => p.localeCompare(q))) : x));
}

/** One line per change, for chat: "~ hall-motion-light cooldown: 600 s → 1800 s". */
export function formatDiff(diff: readonly PlanChange[]): string[] {
  return diff.map((c) => {
    const who = c.agent ?? 'rule';
    if (c.field === null) return c.change === 'added' ? `  + ${who} (new) — ${c.after ?? ''}` : `  − ${who} (removed) — ${c.before ?? ''}`;
    const mark = c.change === 'added' ? '+' : c.change === 'removed' ? '−' : '~';
    if (c.field === 'code' || c.field === 'prompt') return `  ${mark} ${who} ${c.field}: ${c.change} (${lines(c.before)} → ${lines(c.after)} lines)`;
    return `  ${mark} ${who} ${c.field}: ${c.before ?? '(none)'} → ${c.after ?? '(none)'}`;
  });
}

function lines(s: string | null): number {
  return s === null ? 0 : s.split('\n').length;
}

/** The change in one line, for the history. */
export function summarizeDiff(diff: readonly PlanChange[], max = 240): string {
  if (diff.length === 0) return 'no change to the agents';
  const parts = diff.map((c) => {
    const who = c.agent ?? 'rule';
    if (c.field === null) return `${c.change === 'added' ? '+' : '−'} ${who}`;
    if (c.field === 'code' || c.field === 'prompt' || c.field === 'description') return `${who} ${c.field} ${c.change}`;
    return `${who} ${c.field} ${c.before ?? '(none)'} → ${c.after ?? '(none)'}`;
  });
  const text = parts.join('; ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
