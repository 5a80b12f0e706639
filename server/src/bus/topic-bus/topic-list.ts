// LLM-written contracts and spawn blocks name topics loosely: a bare string where a list belongs,
// the kwarg's own name as a value ("publishes"), empty strings, duplicates. Iterating a string
// would register one "topic" per character, so everything goes through here first.
import { isValidTopicFilter } from './topic-filter.ts';

/** Values that are really the name of a field leaking in as a topic (kwarg name/value confusion). */
const BOGUS = new Set([
  'publishes', 'publish', 'subscribes', 'subscribe', 'topic', 'topics', 'triggers', 'trigger',
  'produces', 'consumes', 'inputs', 'outputs', 'schema', 'none', 'null', 'undefined', 'n/a',
]);

export interface TopicList {
  topics: string[];
  /** What was thrown away and why, for a warning the LLM (or the log) can see. */
  dropped: string[];
}

/**
 * Coerces a string, a comma-separated string or a list into a clean list of topic filters,
 * keeping first-seen order and dropping duplicates, bogus entries and invalid filters.
 */
export function coerceTopicList(value: unknown): TopicList {
  const topics: string[] = [];
  const dropped: string[] = [];
  if (value === undefined || value === null) return { topics, dropped };
  const items: unknown[] = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
  for (const item of items) {
    if (typeof item !== 'string') {
      dropped.push(`${JSON.stringify(item) ?? String(item)} (not a string)`);
      continue;
    }
    const topic = item.trim();
    if (topic.length === 0) continue;
    if (BOGUS.has(topic.toLowerCase())) dropped.push(`"${topic}" (a field name, not a topic)`);
    else if (!isValidTopicFilter(topic)) dropped.push(`"${topic}" (not a valid MQTT topic filter)`);
    else if (!topics.includes(topic)) topics.push(topic);
  }
  return { topics, dropped };
}
