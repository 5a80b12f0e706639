// Finding a recipe from what a person (or an LLM) typed: "anomaly", "the weather agent",
// "camera describer", "reminders". Exact names win, then names and titles containing the words,
// then tags, then small typos; words that hit nothing ("what", "sees") only add nothing. A tie between different recipes is ambiguous: the caller lists the
// candidates instead of guessing.

export interface Candidate {
  name: string;
  title: string;
  tags: readonly string[];
}

export type FuzzyResult<T extends Candidate> = { found: T } | { ambiguous: T[] } | { none: true };

const FILLER = new Set(['agent', 'agents', 'recipe', 'the', 'a', 'an', 'my', 'bot']);

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '' && !FILLER.has(w));
}

export function findRecipe<T extends Candidate>(query: string, items: readonly T[]): FuzzyResult<T> {
  const q = words(query);
  if (q.length === 0) return { none: true };
  const exact = items.find((i) => i.name === query.trim().toLowerCase() || words(i.name).join('-') === q.join('-'));
  if (exact) return { found: exact };
  const scored = items.map((item) => ({ item, score: score(q, item) })).filter((s) => s.score > 0);
  if (scored.length === 0) return { none: true };
  scored.sort((a, b) => b.score - a.score);
  const best = scored[0]?.score ?? 0;
  const top = scored.filter((s) => s.score === best).map((s) => s.item);
  const [only] = top;
  return top.length === 1 && only ? { found: only } : { ambiguous: top };
}

function score(query: string[], item: Candidate): number {
  const nameWords = words(`${item.name} ${item.title}`);
  const tagWords = item.tags.flatMap(words);
  let total = 0;
  for (const w of query) {
    if (nameWords.includes(w)) total += 4;
    else if (nameWords.some((n) => n.startsWith(w) || w.startsWith(n))) total += 3;
    else if (tagWords.includes(w)) total += 2;
    else if ([...nameWords, ...tagWords].some((n) => n.length > 3 && editDistance(n, w) <= (w.length > 6 ? 2 : 1))) total += 1;
  }
  return total;
}

export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
