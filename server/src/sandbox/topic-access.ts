// What an agent may read from the bus. Agent code names topics relative to the system root, and
// under that root sit private things: tasks sent to agents by name (`agents/by-name/{name}/task`,
// payload and reply topic), the answers to them (`agents/main/replies/...`,
// `nodes/{node}/replies/...`), commands and their replies, chat, logs and errors, edge-node
// control and system health. One LLM-written agent must not read another's tasks or the system's
// control traffic, so a filter is checked before it reaches the bus.
//
// Filters that could reach a private topic are refused, never narrowed: a narrowed `#` would
// quietly deliver less than the agent asked for, and a refusal that names the readable areas
// tells the LLM fixing the code what to write instead. The check is by levels and conservative:
// a filter passes only when every topic it can match is readable, so no per-message check is
// needed on delivery.
//
// Readable: everything agents may publish to (first level other than agents, nodes, system, ha:
// `custom/...`, `schedule/...`, `home/...`), the HA state mirror `ha/state_changes/...`, and an
// agent's public data `agents/{name}/data/...` (what that agent chose to publish for others).
// An agent's own task replies never travel on the bus: sendTo answers come back in-process.
//
// Outside the root, only what the owner listed in `mqtt_read_topics` (bus/external-reads.ts): a
// filter within one of those names the broker topic as it is and is readable; there is no other
// way out of the root.
import { isDeviceNamespace, isExternalRead, notAllowedReason } from '../bus/external-reads.ts';

/** First levels that only the system reads. */
const CONTROL_LEVELS: ReadonlySet<string> = new Set(['nodes', 'system']);

export const READABLE_AREAS = 'custom/..., ha/state_changes/..., agents/{name}/data/... (another agent\'s public data, by name) and other topics agents publish to, such as schedule/... or home/...';

/** Why an agent may not read this root-relative filter; undefined when it may. */
export function unreadableReason(filter: string): string | undefined {
  const levels = filter.split('/');
  const [first = '', second, third] = levels;
  if (first === '#' || first === '+') return 'a filter starting with a wildcard would include other agents\' tasks and replies and the system\'s control topics';
  if (CONTROL_LEVELS.has(first)) return `${first}/... is the system's control traffic`;
  if (first === 'ha' && second !== 'state_changes') return 'under ha/ only the state mirror ha/state_changes/... is readable';
  if (first === 'agents') {
    if (second === undefined || second === '+' || second === '#') return 'agents/... holds other agents\' tasks, replies, commands and logs; an agent\'s public data is read by its name: agents/{name}/data/...';
    if (second === 'by-name') return 'agents/by-name/... carries tasks sent to agents';
    if (third !== 'data') return `only agents/${second}/data/... is readable; the rest of agents/${second}/... is private`;
  }
  return undefined;
}

/**
 * The refusal an SDK function throws, or undefined when the filter is readable. `external`: the
 * owner's allowed filters outside the root (absent or empty: none).
 */
export function readRefusal(method: string, filter: string, external?: readonly string[]): string | undefined {
  if (isExternalRead(external, filter)) return undefined;
  const why = isDeviceNamespace(external, filter) ? notAllowedReason(external) : unreadableReason(filter);
  if (why === undefined) return undefined;
  const outside = external !== undefined && external.length > 0 ? `, and these device topics outside Wactorz, as they are: ${external.join(', ')}` : '';
  return `${method}: "${filter}" may not be read (${why}). Agents may read ${READABLE_AREAS}${outside}`;
}
