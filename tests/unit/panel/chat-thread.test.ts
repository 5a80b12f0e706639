// What a turn's events show in the panel's thread: the panel reads the orchestrator's own
// ChatEvent and decides how each is shown.
import { describe, expect, it } from 'vitest';
import { activityOf, shownItems, type ThreadItem } from '../../../panel/src/components/views/chat-thread.ts';

describe('activityOf', () => {
  it('shows a device action as an actuation line with its entity, and spawns and deletes as lines of their agent', () => {
    expect(activityOf({ type: 'tool', name: 'ha.conversation', ok: true, text: 'Turned on Kitchen Light', agent: 'home-assistant', entityIds: ['light.kitchen'] })).toEqual({
      kind: 'actuation',
      text: 'Turned on Kitchen Light',
      agent: 'home-assistant',
      entity_id: 'light.kitchen',
    });
    expect(activityOf({ type: 'spawn', name: 'lamp-watch', ok: true, text: 'lamp-watch (llm) spawned.', agentType: 'llm', status: 'spawned' })).toEqual({ kind: 'spawn', text: 'lamp-watch (llm) spawned.', agent: 'lamp-watch', entity_id: null });
    expect(activityOf({ type: 'spawn', name: 'bad', ok: false, text: 'bad was not spawned' })).toMatchObject({ kind: 'info' });
    expect(activityOf({ type: 'delegate', agent: 'weather', ok: true, text: '21 °C' })).toEqual({ kind: 'info', text: 'weather: 21 °C', agent: 'weather', entity_id: null });
  });

  it('shows nothing for the answer\'s own text and for events that have their own place', () => {
    expect(activityOf({ type: 'notification', level: 'critical', agent: 'x', text: 'y' })).toBeUndefined();
    expect(activityOf({ type: 'delta', text: 'hi' })).toBeUndefined();
    expect(activityOf({ type: 'done', turnId: 't', conversationId: 'c', reply: 'hi', agent: 'main', route: 'other' })).toBeUndefined();
  });
});

describe('shownItems', () => {
  const line = (text: string): ThreadItem => ({ kind: 'activity', activity: { kind: 'info', text, agent: null, entity_id: null } });
  it('leaves out an activity line whose text the same turn\'s answer already carries', () => {
    const list = '**Recipes**\n- weather-fetcher';
    const items: ThreadItem[] = [
      { kind: 'user', text: '@catalog list' },
      line(list),
      { kind: 'assistant', text: list, agent: 'main', streaming: false },
      { kind: 'user', text: 'turn on the light' },
      line('light.turn_on light.kitchen'),
      // The same text in another turn's answer does not hide this turn's line.
      { kind: 'assistant', text: 'Done.', agent: 'main', streaming: false },
    ];
    expect(shownItems(items).map((i) => i.kind)).toEqual(['user', 'assistant', 'user', 'activity', 'assistant']);
  });

  it('shows the line while the answer has not (yet) said it', () => {
    const items: ThreadItem[] = [{ kind: 'user', text: '@calc 6*7' }, line('calc: 42'), { kind: 'assistant', text: '↪️ ca', agent: 'main', streaming: true }];
    expect(shownItems(items)).toHaveLength(3);
    expect(shownItems([...items.slice(0, 2), { kind: 'assistant', text: '↪️ calc: 42', agent: 'main', streaming: true }])).toHaveLength(2);
  });
});
