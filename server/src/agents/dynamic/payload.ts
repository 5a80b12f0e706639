// MQTT payloads as agent code sees them: JSON when the bytes are JSON, else the text itself
// (devices publish "ON", "21.5"...). Everything an agent publishes goes out as JSON, so what one
// agent publishes another reads back as the same value.
import type { Json } from '../../sandbox/types.ts';

export function decodePayload(payload: Buffer): Json {
  const text = payload.toString('utf8');
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}

/** A value from outside the sandbox (another actor's answer) as JSON, or undefined when it is not. */
export function toJsonValue(value: unknown): Json | undefined {
  if (value === undefined) return null;
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : (JSON.parse(text) as Json);
  } catch {
    return undefined;
  }
}
