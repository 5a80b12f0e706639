// "No agent named wether-agent. Did you mean weather-agent?": Levenshtein distance over the names
// main knows (running actors, the spawn registry, catalog recipes), plus substring matches, so a
// typo or a partial name still finds its agent.

export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost));
    }
    prev = row;
  }
  return prev[b.length];
}

/** Up to `max` names close to `wanted`, closest first. */
export function closeNames(wanted: string, names: Iterable<string>, max = 3): string[] {
  const needle = wanted.toLowerCase();
  // A third of the name's length, at least 2: "lamp" tolerates 2 edits, "weather-agent" 4.
  const limit = Math.max(2, Math.floor(needle.length / 3));
  const scored: { name: string; score: number }[] = [];
  for (const name of new Set(names)) {
    const lower = name.toLowerCase();
    const d = editDistance(needle, lower);
    const contains = needle.length >= 3 && (lower.includes(needle) || needle.includes(lower));
    if (d <= limit || contains) scored.push({ name, score: contains ? Math.min(d, 1) : d });
  }
  return scored
    .sort((x, y) => x.score - y.score || x.name.localeCompare(y.name))
    .slice(0, max)
    .map((s) => s.name);
}
