import { describe, expect, it } from 'vitest';
import { TurnNotes } from '../../../../server/src/interfaces/cli/turn-notes.ts';

describe('the CLI turn notes', () => {
  it('print only what the answer does not already say', () => {
    const notes = new TurnNotes();
    const list = '**Recipes**\n- weather-fetcher';
    notes.add({ type: 'tool', name: 'agent.task', ok: true, text: list, agent: 'catalog' });
    notes.add({ type: 'delegate', agent: 'calc', ok: true, text: '42' });
    notes.add({ type: 'spawn', name: 'lamp', ok: true, text: 'lamp (llm) spawned.' });
    notes.add({ type: 'delete', name: 'old', ok: false, text: 'old is protected' });
    expect(notes.after(`↪️ calc: 42\n\n${list}\n\n✅ lamp (llm) spawned.`)).toEqual(['! old is protected']);
    // Held lines are cleared once printed.
    expect(notes.after('')).toEqual([]);
  });

  it('always print proposals and errors', () => {
    const notes = new TurnNotes();
    notes.add({ type: 'error', code: 'x', message: 'the turn could not run' });
    expect(notes.after('the turn could not run')).toEqual(['! the turn could not run']);
  });
});
