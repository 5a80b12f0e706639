import { describe, expect, it } from 'vitest';
import { parseInput } from '../../../../server/src/agents/main/routing/parse-input.ts';
import { closeNames, editDistance } from '../../../../server/src/agents/main/routing/close-names.ts';
import { parseIntent } from '../../../../server/src/agents/main/routing/classifier.ts';
import { looksLikeHaRequest } from '../../../../server/src/agents/main/routing/no-llm.ts';

describe('parseInput', () => {
  it('reads slash commands with their arguments, case-insensitively', () => {
    expect(parseInput('/agents stop weather-agent')).toEqual({ kind: 'slash', command: 'agents', args: ['stop', 'weather-agent'], rest: 'stop weather-agent' });
    expect(parseInput('  /HELP ')).toEqual({ kind: 'slash', command: 'help', args: [], rest: '' });
    expect(parseInput('/clear-plans')).toMatchObject({ kind: 'slash', command: 'clear-plans' });
  });

  it('reads @mentions, the bypass mark, and a bare @name', () => {
    expect(parseInput('@weather-agent {"city": "Athens"}')).toEqual({ kind: 'mention', agent: 'weather-agent', bypass: false, message: '{"city": "Athens"}' });
    expect(parseInput('@planner! get the news')).toEqual({ kind: 'mention', agent: 'planner', bypass: true, message: 'get the news' });
    expect(parseInput('@Main: hello')).toEqual({ kind: 'mention', agent: 'main', bypass: false, message: 'hello' });
    expect(parseInput('@lamp')).toEqual({ kind: 'mention', agent: 'lamp', bypass: false, message: '' });
  });

  it('reads the planner prefixes and their bypass forms', () => {
    expect(parseInput('coordinate: weather and news')).toEqual({ kind: 'prefix', prefix: 'coordinate', bypass: false, message: 'weather and news' });
    expect(parseInput('Plan: load the manual')).toEqual({ kind: 'prefix', prefix: 'plan', bypass: false, message: 'load the manual' });
    expect(parseInput('pipeline: when the door opens notify me')).toMatchObject({ prefix: 'pipeline', bypass: false });
    expect(parseInput('pipeline! when the door opens notify me')).toMatchObject({ prefix: 'pipeline', bypass: true, message: 'when the door opens notify me' });
    expect(parseInput('coordinate! do both')).toMatchObject({ prefix: 'coordinate', bypass: true });
  });

  it('leaves everything else as text (an address in a sentence is not a mention)', () => {
    expect(parseInput('mail bob@example.com the plan')).toEqual({ kind: 'text', message: 'mail bob@example.com the plan' });
    expect(parseInput('planning is hard')).toEqual({ kind: 'text', message: 'planning is hard' });
    expect(parseInput('   ')).toEqual({ kind: 'empty' });
  });
});

describe('close names', () => {
  it('measures edits', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests typos and partial names, closest first, and nothing for unrelated names', () => {
    const names = ['weather-agent', 'news-agent', 'main', 'monitor', 'energy-tracker'];
    expect(closeNames('wether-agent', names)).toEqual(['weather-agent']);
    expect(closeNames('energy', names)).toEqual(['energy-tracker']);
    expect(closeNames('zzzzzz', names)).toEqual([]);
  });
});

describe('classifier answers', () => {
  it('accept exactly one known label, quotes and punctuation ignored', () => {
    expect(parseIntent('ACTUATE')).toBe('ACTUATE');
    expect(parseIntent(' "ha".')).toBe('HA');
    expect(parseIntent('pipeline\n')).toBe('PIPELINE');
    expect(parseIntent('Sure! The answer is OTHER')).toBeUndefined();
    expect(parseIntent('')).toBeUndefined();
  });
});

describe('no-LLM heuristics', () => {
  it('recognise what Home Assistant can do on its own', () => {
    for (const t of ['turn on the kitchen light', 'Switch off the hallway light.', 'lock the front door', 'what is the living room temperature?', 'open the garage door']) {
      expect(looksLikeHaRequest(t), t).toBe(true);
    }
    for (const t of ['write me a poem', 'spawn an agent that tracks energy', 'when the door opens notify me']) {
      expect(looksLikeHaRequest(t), t).toBe(false);
    }
  });
});
