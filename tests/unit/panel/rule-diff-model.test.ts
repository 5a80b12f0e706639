// How a rule change reads: the rule's own fields before its agents', an agent added or removed
// named as such, and code compared line by line with the unchanged stretches folded.
import { describe, expect, it } from 'vitest';
import { changeTitle, groupChanges, isMultiline, lineDiff } from '../../../panel/src/components/views/rule-diff-model.ts';
import type { PlanChange } from '../../../server/src/contract/rule-versions.ts';

const change = (agent: string | null, field: string | null, kind: PlanChange['change'] = 'changed', before: string | null = 'a', after: string | null = 'b'): PlanChange => ({ agent, change: kind, field, before, after });

describe('groupChanges', () => {
  it('puts the rule\'s own changes first and keeps each agent\'s changes together in the server\'s order', () => {
    const groups = groupChanges([change('hall', 'cooldown'), change('porch', 'filter'), change(null, 'title'), change('hall', 'actions')]);
    expect(groups.map((g) => [g.agent, g.changes.map((c) => c.field)])).toEqual([
      [null, ['title']],
      ['hall', ['cooldown', 'actions']],
      ['porch', ['filter']],
    ]);
  });
});

describe('changeTitle', () => {
  it('names the field, or says an agent came or went', () => {
    expect(changeTitle(change('hall', 'cooldown'))).toBe('cooldown');
    expect(changeTitle(change('hall', null, 'added', null, 'ha_actuator: ...'))).toBe('new agent');
    expect(changeTitle(change('hall', null, 'removed', 'ha_actuator: ...', null))).toBe('agent removed');
  });
});

describe('lineDiff', () => {
  const code = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`);

  it('shows a one-line edit in a long text as that line, with two lines of context and the rest folded', () => {
    const after = code.map((l) => (l === 'line 7' ? 'line seven' : l));
    expect(lineDiff(code.join('\n'), after.join('\n'))).toEqual([
      { op: 'fold', count: 4 },
      { op: 'same', text: 'line 5' },
      { op: 'same', text: 'line 6' },
      { op: 'del', text: 'line 7' },
      { op: 'add', text: 'line seven' },
      { op: 'same', text: 'line 8' },
      { op: 'same', text: 'line 9' },
      { op: 'fold', count: 3 },
    ]);
  });

  it('shows added and removed lines where they are, and a whole text added or removed', () => {
    expect(lineDiff('a\nb\nc', 'a\nx\nb\nc')).toEqual([
      { op: 'same', text: 'a' },
      { op: 'add', text: 'x' },
      { op: 'same', text: 'b' },
      { op: 'same', text: 'c' },
    ]);
    expect(lineDiff(null, 'a\nb')).toEqual([{ op: 'add', text: 'a' }, { op: 'add', text: 'b' }]);
    expect(lineDiff('a\nb', null)).toEqual([{ op: 'del', text: 'a' }, { op: 'del', text: 'b' }]);
  });

  it('only diffs values of several lines; one-line values are shown whole', () => {
    expect(isMultiline(change('a', 'code', 'changed', 'x\ny', 'x'))).toBe(true);
    expect(isMultiline(change('a', 'cooldown', 'changed', '600 s', '1800 s'))).toBe(false);
    expect(isMultiline(change('a', 'conditions', 'added', null, 'sun.sun state = "below_horizon"'))).toBe(false);
  });
});
