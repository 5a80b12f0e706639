// Which rule a chat message names, and whether it asks to change one: "make the porch rule only
// after sunset" (a piece of its title or request, a typo forgiven), "change rule 3fa2c1d0 ...",
// "set the rule to 30 minutes" (no name: the rule of this conversation), "use 30 minutes instead
// of 10" (no rule at all: the caller decides). No LLM: the scripted-model tests stay
// deterministic and a wrong guess costs nothing (an edit is only ever a proposal).
import { distance } from '../validation/similar.ts';
import type { Rule } from './rule.ts';

export type RuleRef =
  /** The message names no rule. */
  | { kind: 'none' }
  /** "the rule", "that rule": a rule, without saying which. */
  | { kind: 'unnamed' }
  | { kind: 'one'; rule: Rule }
  | { kind: 'unknown'; name: string }
  /** Two rules named, or a name that fits several. */
  | { kind: 'several'; name: string; rules: Rule[] };

const DETERMINER = String.raw`(?:the|my|that|this|our)`;
/** "the porch rule", "my garage door automation", "the porch and garage rules": up to four words of name. */
const NAMED = new RegExp(String.raw`\b${DETERMINER}\s+((?:(?!${DETERMINER}\b)[\w'’-]+\s+){0,4}?)(rule|automation)s?\b`, 'gi');
const RULE_ID = /\b[0-9a-f]{8}\b/g;
/** Words that say which rule without being part of its name. */
const FILLER = new Set(['new', 'old', 'last', 'latest', 'same', 'current', 'existing', 'whole']);

const EDIT = /^(please\s+|can you\s+|could you\s+|now\s+)?(make|use|change|set|switch|move|shift|increase|decrease|lower|raise|replace|rename|add|remove|drop|edit|update|modify|adjust|tweak|only|also|let|have|run)\b/i;
const INSTEAD = /\b(instead|rather than)\b/i;

/** A request to change something ("make ...", "use 30 instead of 10"), not a question or a new rule. */
export function looksLikeEdit(text: string): boolean {
  return EDIT.test(text.trim()) || INSTEAD.test(text);
}

/** "instead of", "rather than": a change to something that exists. */
export function refersBack(text: string): boolean {
  return INSTEAD.test(text);
}

export function findRuleRef(text: string, rules: readonly Rule[]): RuleRef {
  const named = new Map<string, Rule>();
  for (const m of text.toLowerCase().matchAll(RULE_ID)) {
    const r = rules.find((x) => x.id === m[0]);
    if (r) named.set(r.id, r);
  }
  let unnamed = false;
  for (const m of text.matchAll(NAMED)) {
    const phrase = (m[1] ?? '').trim();
    // "the garage automation" may well be one of Home Assistant's own: only a rule it fits counts.
    const loose = (m[2] ?? '').toLowerCase() === 'automation';
    const parts = phrase.split(/\s*(?:,|&|\band\b)\s*/i).map((p) => p.split(/\s+/).filter((w) => w && !FILLER.has(w.toLowerCase())).join(' ')).filter(Boolean);
    // A rule id in the phrase ("the 3fa2c1d0 rule") was taken above.
    const names = parts.filter((p) => !rules.some((r) => r.id === p.toLowerCase()));
    if (names.length === 0) {
      if (parts.length === 0 && !loose) unnamed = true;
      continue;
    }
    for (const name of names) {
      const fits = matching(name, rules);
      if (fits.length === 0 && loose) continue;
      if (fits.length === 0) return { kind: 'unknown', name };
      if (fits.length > 1) return { kind: 'several', name, rules: fits };
      named.set(fits[0].id, fits[0]);
    }
  }
  if (named.size > 1) return { kind: 'several', name: '', rules: [...named.values()] };
  if (named.size === 1) return { kind: 'one', rule: [...named.values()][0] };
  return unnamed ? { kind: 'unnamed' } : { kind: 'none' };
}

/** Rules whose title, request or agent names hold every word of the name (as a piece of a word, or one typo away). */
function matching(name: string, rules: readonly Rule[]): Rule[] {
  const words = name.toLowerCase().split(/\s+/).map((w) => w.replace(/['’]s$/, ''));
  const exact = rules.filter((r) => words.every((w) => haystack(r).includes(w)));
  if (exact.length) return exact;
  return rules.filter((r) => {
    const own = haystack(r).split(/[^a-z0-9]+/).filter(Boolean);
    return words.every((w) => own.some((o) => distance(w, o, 2) <= (w.length <= 4 ? 1 : 2)));
  });
}

function haystack(r: Rule): string {
  return `${r.title} ${r.text} ${r.agents.map((a) => a.config.name).join(' ')}`.toLowerCase();
}
