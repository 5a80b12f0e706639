// Where an agent's topics live on the broker. Agent code names topics relative to the system root:
// `agent.publish('custom/energy', x)` goes out on `wactorz/custom/energy`, and
// `agent.subscribe('ha/state_changes/sensor/+', ...)` listens on `wactorz/ha/state_changes/sensor/+`.
// So the seeds' `custom/triggers/{slug}` written by an agent IS the system topic of topics.ts, the
// TopicBus (whose names are root-relative too) sees the same names the agent wrote, and an agent
// can never publish on the rest of a shared broker: no `homeassistant/...` discovery messages, no
// `zigbee2mqtt/.../set` that would actuate a device around the sensitive-domain check.
//
// Publishing is refused on the system's control topics (agent lifecycle, nodes, health) and on the
// HA bridge's topics (a fake state change could trigger actuators). An agent may publish its own
// data under `agents/{itself}/data/...`. Reading is narrower than the root too: see
// sandbox/topic-access.ts (no other agents' tasks or replies, no control topics). The one way to
// read outside the root is a filter within the owner's `mqtt_read_topics` (bus/external-reads.ts),
// which is subscribed as it is written; publishing never leaves the root. Publishes that land on a topic of the typed map are
// checked against its payload schema and sent with its QoS, exactly as system code would.
import { TOPICS, parseTopic, relativeToRoot, underRoot, type TopicKey } from '../../bus/topics.ts';
import { isValidTopicFilter, isValidTopicName } from '../../bus/topic-bus/topic-filter.ts';
import type { Qos } from '../../bus/topics.ts';
import { isDeviceNamespace, isExternalRead } from '../../bus/external-reads.ts';
import { readRefusal } from '../../sandbox/topic-access.ts';

/** Root-relative prefixes an agent may not publish under (first level). */
const CONTROL_LEVELS: ReadonlySet<string> = new Set(['agents', 'nodes', 'system', 'ha']);

export interface AgentIdentity {
  id: string;
  name: string;
}

export interface PublishTarget {
  /** The full topic on the broker. */
  topic: string;
  qos: Qos;
  /** The typed-map key when the topic is a system topic (its schema applies). */
  key: TopicKey | undefined;
}

export class AgentTopicError extends Error {
  override readonly name = 'AgentTopicError';
}

/** Checks a root-relative topic an agent publishes to and says where it goes. */
export function publishTarget(root: string, topic: string, self: AgentIdentity, external?: readonly string[]): PublishTarget {
  if (!isValidTopicName(topic)) throw new AgentTopicError(`agent.publish: "${topic}" is not a valid topic name (no + or #, no empty levels at the start)`);
  if (topic.startsWith('/') || topic.startsWith('$')) throw new AgentTopicError(`agent.publish: "${topic}" must not start with "/" or "$"; topics are relative to the system root, e.g. "custom/energy"`);
  if (isDeviceNamespace(external, topic)) {
    throw new AgentTopicError(`agent.publish: "${topic}" names a device's topic outside Wactorz; agents never publish outside the system root (devices are controlled through agent.ha.callService)`);
  }
  const levels = topic.split('/');
  const first = levels[0] ?? '';
  if (CONTROL_LEVELS.has(first) && !isOwnData(levels, self)) {
    throw new AgentTopicError(`agent.publish: "${topic}" is a system topic (${first}/...) that agents may not publish to; use custom/... or agents/${self.name}/data/...`);
  }
  const full = underRoot(root, topic);
  for (const key of Object.keys(TOPICS) as TopicKey[]) {
    if (parseTopic(root, key, full)) return { topic: full, qos: TOPICS[key].qos, key };
  }
  return { topic: full, qos: 0, key: undefined };
}

/**
 * The full broker filter for a root-relative filter an agent subscribes to (or opens a window
 * on). Filters that could reach other agents' tasks and replies or the control topics are refused
 * here too (sandbox/topic-access.ts): the SDK checks first, this keeps every host honest.
 */
export function subscribeFilter(root: string, filter: string, method = 'agent.subscribe', external?: readonly string[]): string {
  if (!isValidTopicFilter(filter) || filter.startsWith('/') || filter.startsWith('$')) {
    throw new AgentTopicError(`"${filter}" is not a valid topic filter; filters are relative to the system root, e.g. "ha/state_changes/sensor/+"`);
  }
  if (isExternalRead(external, filter)) return filter;
  const refused = readRefusal(method, filter, external);
  if (refused !== undefined) throw new AgentTopicError(refused);
  return underRoot(root, filter);
}

/** The root-relative name of a topic seen on the broker (what agent code gets as `topic`). */
export function relativeTopic(root: string, topic: string): string {
  return relativeToRoot(root, topic);
}

function isOwnData(levels: readonly string[], self: AgentIdentity): boolean {
  return levels[0] === 'agents' && (levels[1] === self.name || levels[1] === self.id) && levels[2] === 'data' && levels.length > 3;
}
