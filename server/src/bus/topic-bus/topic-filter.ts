// MQTT topic names and filters as the TopicBus sees them [MQTT-4.7]. Beyond matching a topic
// against a filter, wiring needs to know whether two *filters* can ever see the same topic: a
// producer may declare `sensors/+/temp` and a consumer subscribe to `sensors/kitchen/#`.

import { hasWildcard, isValidFilter, matches } from '../match.ts';

export { hasWildcard };

/** A filter is valid when `+` fills a whole level and `#` is a whole, last level [MQTT-4.7.1]. */
export function isValidTopicFilter(filter: string): boolean {
  return filter.length <= 65535 && !filter.includes('\u0000') && isValidFilter(filter);
}

/** A topic name (what is published to) never holds wildcards [MQTT-3.3.2-2]. */
export function isValidTopicName(topic: string): boolean {
  return isValidTopicFilter(topic) && !hasWildcard(topic);
}

/** Whether `topic` matches `filter` (the bus's own matcher; wildcard-first filters skip `$` topics). */
export const topicMatches = matches;

/**
 * Whether some topic name matches both filters. Level by level: `#` on either side accepts the
 * rest, `+` accepts any one level, literals must be equal; `a/#` also overlaps `a` because `#`
 * matches its parent level [MQTT-4.7.1-2].
 */
export function filtersOverlap(a: string, b: string): boolean {
  const x = a.split('/');
  const y = b.split('/');
  const dollar = (levels: string[]) => levels[0]?.startsWith('$') === true;
  const wildFirst = (levels: string[]) => levels[0] === '+' || levels[0] === '#';
  if ((dollar(x) && wildFirst(y)) || (dollar(y) && wildFirst(x))) return false;
  for (let i = 0; ; i++) {
    const p = x[i];
    const q = y[i];
    if (p === '#' || q === '#') return true;
    // One filter ended (the other does not continue with `#`, checked above): overlap only if both did.
    if (p === undefined || q === undefined) return p === q;
    if (p !== '+' && q !== '+' && p !== q) return false;
  }
}
