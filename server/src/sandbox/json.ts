// JSON is the only way values cross the boundary, in both directions. Parsing drops `__proto__`
// keys so that a payload an agent crafted cannot reach a prototype through a careless merge on the
// host, and sizes are checked on the text before anything else is done with it.
import { formatBytes } from './limits.ts';
import { SdkError } from './errors.ts';
import type { Json } from './schemas.ts';

function dropProto(key: string, value: unknown): unknown {
  return key === '__proto__' ? undefined : value;
}

export function parseJson(text: string, maxBytes: number, what: string): Json {
  if (text.length > maxBytes) throw new SdkError(`${what} is ${formatBytes(text.length)}, over the ${formatBytes(maxBytes)} limit`);
  // The reviver costs a tree walk; only pay it when the key is present at all.
  return (text.includes('"__proto__"') ? JSON.parse(text, dropProto) : JSON.parse(text)) as Json;
}

/** Stringifies a host value for the isolate; `undefined` becomes null. */
export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null) ?? 'null';
}

/** Size of a value once serialised (the measure every message limit uses). */
export function jsonSize(value: unknown): number {
  return toJson(value).length;
}
