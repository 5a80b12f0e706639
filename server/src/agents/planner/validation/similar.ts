// "Did you mean ...?" for an entity or service the LLM got almost right.

/** Levenshtein distance, bounded: stops counting past `max`. */
export function distance(a: string, b: string, max = 64): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

/** Up to `n` candidates close to `wanted`, closest first; same-prefix candidates are preferred. */
export function closest(wanted: string, candidates: Iterable<string>, n = 3): string[] {
  const [wDomain] = wanted.split('.');
  const scored: { c: string; d: number }[] = [];
  for (const c of candidates) {
    const sameDomain = c.split('.')[0] === wDomain;
    const d = distance(wanted, c, 12) - (sameDomain ? 2 : 0) - (c.includes(wanted.split('.')[1] ?? '\u0000') || wanted.includes(c.split('.')[1] ?? '\u0000') ? 3 : 0);
    if (d <= Math.max(3, Math.floor(wanted.length / 3))) scored.push({ c, d });
  }
  return scored.sort((x, y) => x.d - y.d || x.c.localeCompare(y.c)).slice(0, n).map((s) => s.c);
}
