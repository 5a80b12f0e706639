// Finding the automation a user means by name ("delete the morning lights automation"): the share
// of the automation's name words found in the request, forgiving plurals and one-letter typos in
// longer words. A clear winner is taken; close scores make a question for the user instead of a
// guess, since the next step edits or deletes.
import type { AutomationRef } from '../pending.ts';

const ARTICLES = new Set(['the', 'a', 'an']);
const MIN_SCORE = 0.5;
const CLEAR_LEAD = 0.25;

export interface Scored {
  item: AutomationRef;
  score: number;
  matched: number;
}

export type Pick = { kind: 'unique'; item: AutomationRef } | { kind: 'ambiguous'; candidates: AutomationRef[] } | { kind: 'none' };

const tokens = (s: string) => s.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').split(/[^a-z0-9]+/).filter((t) => t.length > 0);

function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  const stem = (w: string) => w.replace(/(es|s)$/, '');
  if (a.length > 3 && b.length > 3 && stem(a) === stem(b)) return true;
  return a.length >= 5 && b.length >= 5 && editDistanceAtMostOne(a, b);
}

function editDistanceAtMostOne(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

export function rank(text: string, automations: readonly AutomationRef[]): Scored[] {
  const lower = text.toLowerCase();
  const words = tokens(text);
  return automations
    .map((item) => {
      // Naming the id or entity id is as exact as it gets.
      if ((item.id && lower.includes(item.id.toLowerCase())) || lower.includes(item.entity_id)) return { item, score: 2, matched: 99 };
      const name = tokens(item.alias).filter((t) => !ARTICLES.has(t));
      if (name.length === 0) return { item, score: 0, matched: 0 };
      const matched = name.filter((t) => words.some((w) => sameWord(t, w))).length;
      return { item, score: matched / name.length, matched };
    })
    .sort((a, b) => b.score - a.score || b.matched - a.matched);
}

export function pickAutomation(text: string, automations: readonly AutomationRef[]): Pick {
  const ranked = rank(text, automations).filter((s) => s.score >= MIN_SCORE);
  const [best, second] = ranked;
  if (!best) return { kind: 'none' };
  if (!second || best.score - second.score >= CLEAR_LEAD || (best.score === second.score && best.score >= 1 && best.matched > second.matched)) {
    return { kind: 'unique', item: best.item };
  }
  return { kind: 'ambiguous', candidates: ranked.filter((s) => s.score >= best.score - CLEAR_LEAD).slice(0, 5).map((s) => s.item) };
}

/** The user's answer to "which one?": a number from the list or (part of) a name. */
export function chooseFromAnswer(answer: string, candidates: readonly AutomationRef[]): AutomationRef | undefined {
  const n = /^\s*(?:number\s+|#)?(\d{1,2})\b/i.exec(answer);
  if (n) return candidates[Number(n[1]) - 1];
  const pick = pickAutomation(answer, candidates);
  return pick.kind === 'unique' ? pick.item : undefined;
}
