// Dotted paths ("new_state.attributes.temperature", "objects.0.label") address fields inside MQTT
// payloads. They are shared by observed schemas, StreamWindow field extraction and detection
// filters, so a path that names a field in one place names the same field everywhere.

export function splitPath(path: string): string[] {
  return path.split('.').filter((p) => p.length > 0);
}

/** The value at `path`, or undefined when any step is missing. An empty path is the value itself. */
export function getPath(value: unknown, path: string): unknown {
  let current = value;
  for (const key of splitPath(path)) {
    if (current === null || typeof current !== 'object') return undefined;
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(key)) return undefined;
      current = current[Number(key)];
      continue;
    }
    // Own properties only: a path like "constructor" or "__proto__" must not reach prototypes.
    if (!Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
