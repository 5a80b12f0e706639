// Every topic shape of the MQTT discovery bridge, declared once. Discovery configs and HA's birth
// message sit under HA's discovery prefix (HA's topics, published raw); the entities' state and
// command topics are Wactorz's, under the root (root-relative here, joined through `underRoot`);
// availability is the server's own (`systemAvailability` in bus/topics.ts, set by the last will).
import { underRoot } from '../../bus/topics.ts';

export type Component = 'sensor' | 'switch' | 'button';

/** What HA's entity and node ids may hold: anything else becomes `_`. */
export function slugOf(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9_-]+/g, '_');
  // Two names that differ only in characters a slug drops must not share entities.
  return slug === name ? slug : `${slug}_${shortHash(name)}`;
}

function shortHash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0').slice(0, 6);
}

/** Who a device belongs to: the root made into an id, so two Wactorz servers on one broker differ. */
export function nodePrefix(root: string): string {
  return root.toLowerCase().replace(/[^a-z0-9_-]+/g, '_');
}

/** `<prefix>/<component>/<node>/<object>/config`: where HA reads one entity's discovery config. */
export function configTopic(prefix: string, component: Component, node: string, object: string): string {
  return `${prefix}/${component}/${node}/${object}/config`;
}

/** Every discovery config, whoever published it (to find our own stale ones). */
export function configFilter(prefix: string): string {
  return `${prefix}/+/+/+/config`;
}

/** The node id of a config topic, when it is one. */
export function nodeOfConfigTopic(prefix: string, topic: string): string | undefined {
  if (!topic.startsWith(`${prefix}/`)) return undefined;
  const levels = topic.slice(prefix.length + 1).split('/');
  return levels.length === 4 && levels[3] === 'config' ? levels[1] : undefined;
}

/** HA publishes `online` here when it starts (its birth message): every config is sent again. */
export function birthTopic(prefix: string): string {
  return `${prefix}/status`;
}

// Root-relative state and command topics. Commands are plain HA payloads (ON, OFF, PRESS), not
// JSON, so they are raw topics rather than entries of the typed map.
const BASE = 'ha-discovery';

export const rel = {
  agentState: (slug: string) => `${BASE}/agents/${slug}/state`,
  agentPause: (slug: string) => `${BASE}/agents/${slug}/pause/set`,
  agentRestart: (slug: string) => `${BASE}/agents/${slug}/restart/press`,
  ruleState: (slug: string) => `${BASE}/rules/${slug}/state`,
  ruleSet: (slug: string) => `${BASE}/rules/${slug}/set`,
  budgetState: () => `${BASE}/budget/state`,
} as const;

/** Every command topic (one subscription). */
export function commandFilter(root: string): string {
  return underRoot(root, `${BASE}/+/+/#`);
}

export type CommandTarget =
  | { kind: 'rule'; slug: string }
  | { kind: 'agent-pause'; slug: string }
  | { kind: 'agent-restart'; slug: string };

/** Which entity a command topic addresses; undefined for anything else (including state topics). */
export function parseCommandTopic(root: string, topic: string): CommandTarget | undefined {
  const head = underRoot(root, `${BASE}/`);
  if (!topic.startsWith(head)) return undefined;
  const [kind, slug, a, b, ...rest] = topic.slice(head.length).split('/');
  if (!slug || rest.length > 0) return undefined;
  if (kind === 'rules' && a === 'set' && b === undefined) return { kind: 'rule', slug };
  if (kind === 'agents' && a === 'pause' && b === 'set') return { kind: 'agent-pause', slug };
  if (kind === 'agents' && a === 'restart' && b === 'press') return { kind: 'agent-restart', slug };
  return undefined;
}
