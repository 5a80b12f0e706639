// How a rule change reads in the panel: changes grouped by agent (the rule's own fields first),
// short values as before → after, and long ones (code, a prompt) as a line diff so an edit of
// one line in sixty shows as that line. Pure, so it is tested without a browser.
import type { PlanChange } from '../../data/types.ts';

export interface ChangeGroup {
  /** null: the rule itself (title, pattern). */
  agent: string | null;
  changes: PlanChange[];
}

export function groupChanges(diff: readonly PlanChange[]): ChangeGroup[] {
  const groups: ChangeGroup[] = [];
  for (const c of diff) {
    let g = groups.find((x) => x.agent === c.agent);
    if (!g) {
      g = { agent: c.agent, changes: [] };
      // The rule's own changes lead; agents keep the server's order.
      if (c.agent === null) groups.unshift(g);
      else groups.push(g);
    }
    g.changes.push(c);
  }
  return groups;
}

/** What the change is called: the field, or the agent itself when it was added or removed. */
export function changeTitle(c: PlanChange): string {
  if (c.field !== null) return c.field;
  return c.change === 'added' ? 'new agent' : c.change === 'removed' ? 'agent removed' : 'agent';
}

/** Values of several lines are diffed line by line; one-line values are shown whole. */
export function isMultiline(c: PlanChange): boolean {
  return (c.before ?? '').includes('\n') || (c.after ?? '').includes('\n');
}

export interface DiffLine {
  op: 'same' | 'add' | 'del';
  text: string;
}

/** Lines kept either side of a change; longer unchanged runs fold into one marker. */
const CONTEXT = 2;

/** A line diff (longest common subsequence) of two texts, unchanged runs folded to `CONTEXT` lines around each change. */
export function lineDiff(before: string | null, after: string | null): (DiffLine | { op: 'fold'; count: number })[] {
  const a = before === null ? [] : before.split('\n');
  const b = after === null ? [] : after.split('\n');
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      lines.push({ op: 'same', text: a[i] });
      i++;
      j++;
    } else if (i < a.length && (j >= b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
      // On a tie the removed line goes first, as in a unified diff.
      lines.push({ op: 'del', text: a[i] });
      i++;
    } else {
      lines.push({ op: 'add', text: b[j] });
      j++;
    }
  }
  return fold(lines);
}

function fold(lines: DiffLine[]): (DiffLine | { op: 'fold'; count: number })[] {
  const near = lines.map((_, k) => lines.slice(Math.max(0, k - CONTEXT), k + CONTEXT + 1).some((l) => l.op !== 'same'));
  const out: (DiffLine | { op: 'fold'; count: number })[] = [];
  for (let k = 0; k < lines.length; k++) {
    if (near[k]) {
      out.push(lines[k]);
      continue;
    }
    const last = out.at(-1);
    if (last?.op === 'fold') last.count++;
    else out.push({ op: 'fold', count: 1 });
  }
  return out;
}
