// The home-assistant-agent reads plain requests from their words, so the common ones cost no
// second classifier call after main's.
import { describe, expect, it } from 'vitest';
import { intentByWords, isStateQuestion } from '../../../../server/src/agents/ha/assistant/intent.ts';

describe('HA intents by words', () => {
  it('reads listings from a listing word and a plural', () => {
    expect(intentByWords('which rooms do I have?')).toBe('list_areas');
    expect(intentByWords('list my devices')).toBe('list_devices');
    expect(intentByWords('show the automations')).toBe('list_automations');
    expect(intentByWords('what entities are there?')).toBe('list_entities');
    // A room named in a question is not a list of rooms.
    expect(intentByWords('what is the living room temperature?')).toBeUndefined();
  });

  it('takes a plain question about the present for a state question, and leaves the rest to the classifier', () => {
    for (const q of ['what is the living room temperature?', 'is the front door open?', 'who is home?', 'are the lights on?']) expect(isStateQuestion(q), q).toBe(true);
    for (const q of ['how do I make an automation for the porch?', 'what should I buy to detect leaks?', 'turn on the lights', 'delete the evening automation?']) expect(isStateQuestion(q), q).toBe(false);
  });
});
