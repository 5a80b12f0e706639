// MQTT topic filter matching [MQTT-4.7]: `+` matches one level, `#` (last) matches the parent and
// every level below; filters starting with a wildcard never match `$` topics [MQTT-4.7.2-1].

export function isValidFilter(filter: string): boolean {
  if (filter.length === 0) return false;
  const levels = filter.split('/');
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i];
    if (l === '#') {
      if (i !== levels.length - 1) return false;
    } else if (l !== '+' && /[+#]/.test(l)) {
      return false;
    }
  }
  return true;
}

export function hasWildcard(filter: string): boolean {
  return filter.includes('+') || filter.includes('#');
}

/** Matches a topic already split into levels against a filter already split into levels. */
export function matchLevels(filter: readonly string[], topic: readonly string[]): boolean {
  if (topic.length > 0 && (topic[0]).startsWith('$') && (filter[0] === '+' || filter[0] === '#')) return false;
  for (let i = 0; i < filter.length; i++) {
    const f = filter[i];
    if (f === '#') return true;
    if (i >= topic.length) return false;
    if (f !== '+' && f !== topic[i]) return false;
  }
  return filter.length === topic.length;
}

export function matches(filter: string, topic: string): boolean {
  return matchLevels(filter.split('/'), topic.split('/'));
}
