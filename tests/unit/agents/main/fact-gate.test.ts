// Fact extraction costs one LLM call per turn: it runs only after a message that plausibly states
// something about the user or the home.
import { describe, expect, it } from 'vitest';
import { mayStateFact } from '../../../../server/src/agents/main/memory/facts-extractor.ts';

describe('mayStateFact', () => {
  it('sends statements about the user or the home to extraction', () => {
    for (const text of ['Hi, my name is Alice', 'we have a cat called Tom', 'remember that the garage code changed', 'call me Al', 'I prefer the lights dimmed at night', 'the dehumidifier is in the basement', "I'm allergic to pollen"]) {
      expect(mayStateFact(text), text).toBe(true);
    }
  });

  it('skips commands, questions and chit-chat that state nothing durable', () => {
    for (const text of ['turn on the porch lamp', 'what is the study temperature?', 'tell me a joke', 'open the garage door', 'coordinate: get the weather and the news']) {
      expect(mayStateFact(text), text).toBe(false);
    }
  });
});
