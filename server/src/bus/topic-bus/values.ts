// How payload values compare, shared by StreamWindow and detection filters so "21.5" and 21.5 mean
// the same everywhere: Home Assistant reports every state as a string.

/** A finite number, or a numeric string read as one; undefined for anything else. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** Strict equality, except that scalars with the same text are equal ("on" / "on", 1 / "1", true / "true"). */
export function looseEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const scalar = (x: unknown) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean';
  return scalar(a) && scalar(b) && String(a) === String(b);
}
