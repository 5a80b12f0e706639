import { describe, expect, it } from 'vitest';
import { parseAgentBlocks, stripAgentBlocks } from '../../../../server/src/agents/spawn-config/parse-blocks.ts';

describe('<delete> blocks', () => {
  it('read a name, a quoted name, an attribute or the JSON form', () => {
    const { deletes } = parseAgentBlocks(
      '<delete>weather-agent</delete> <delete>"old-one"</delete> <delete name="third"></delete> <delete>{"name": "fourth"}</delete>',
    );
    expect(deletes.map((d) => (d.ok ? d.name : d.error))).toEqual(['weather-agent', 'old-one', 'third', 'fourth']);
  });

  it('refuse bad names and system actors', () => {
    const { deletes } = parseAgentBlocks('<delete></delete><delete>main</delete><delete>Not A Slug</delete>');
    expect(deletes.map((d) => (d.ok ? d.name : d.error))).toEqual([
      'delete: expected an agent name, e.g. <delete>weather-agent</delete>',
      'delete "main": name "main" is reserved for a system actor; pick another name',
      expect.stringMatching(/^delete "Not A Slug": name must be a slug/) as string,
    ]);
  });
});

describe('<delegate> blocks', () => {
  it('read the attribute form with a text task', () => {
    const { delegates } = parseAgentBlocks('<delegate agent="weather-agent">What is the weather in Athens?</delegate>');
    expect(delegates).toMatchObject([{ ok: true, agent: 'weather-agent', task: 'What is the weather in Athens?' }]);
  });

  it('read the attribute form with a JSON payload, and the all-JSON form', () => {
    const { delegates } = parseAgentBlocks(
      `<delegate to='weather-agent'>{"city": "Athens"}</delegate><delegate>{"agent": "news-agent", "task": "AI today"}</delegate>` +
        '<delegate>{"agent": "calc", "payload": {"a": 1}}</delegate>',
    );
    expect(delegates.map((d) => (d.ok ? [d.agent, d.task] : d.error))).toEqual([
      ['weather-agent', { city: 'Athens' }],
      ['news-agent', 'AI today'],
      ['calc', { a: 1 }],
    ]);
  });

  it('say what is missing', () => {
    const { delegates } = parseAgentBlocks('<delegate>do it</delegate><delegate agent="x"> </delegate>');
    expect(delegates.map((d) => !d.ok && d.error)).toEqual([
      'delegate: name the agent, e.g. <delegate agent="weather-agent">task</delegate>',
      'delegate to "x": the task is empty',
    ]);
  });
});

describe('the text shown to the user', () => {
  it('loses every block and the blank lines they leave', () => {
    const reply = [
      'I set up two agents for you.',
      '',
      '<spawn>{"name": "a", "type": "llm", "system_prompt": "x"}</spawn>',
      '',
      '',
      '<delete>old</delete>',
      '<delegate agent="a">hi</delegate>',
      '',
      'They start now.',
    ].join('\n');
    const parsed = parseAgentBlocks(reply);
    expect(parsed.text).toBe('I set up two agents for you.\n\nThey start now.');
    expect([parsed.spawns.length, parsed.deletes.length, parsed.delegates.length]).toEqual([1, 1, 1]);
    expect(stripAgentBlocks(reply)).toBe(parsed.text);
  });

  it('loses an unclosed block to the end of the reply', () => {
    expect(stripAgentBlocks('Spawning now:\n<spawn>{"name": "x", "code": "...')).toBe('Spawning now:');
  });

  it('keeps tags mentioned in prose, which are not blocks', () => {
    const reply = 'To remove an agent, ask me and I will emit a <delete> block. Spawning uses a <spawn> block.';
    const parsed = parseAgentBlocks(reply);
    expect(parsed.text).toBe(reply);
    expect([parsed.spawns.length, parsed.deletes.length, parsed.delegates.length]).toEqual([0, 0, 0]);
  });

  it('keeps a reply without blocks as it was (trimmed)', () => {
    expect(stripAgentBlocks('  The kitchen is 21.5 °C.\n')).toBe('The kitchen is 21.5 °C.');
  });
});
