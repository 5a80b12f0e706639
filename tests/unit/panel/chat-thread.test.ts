// What a turn's events show in the panel's thread: the panel reads the orchestrator's own
// ChatEvent and decides how each is shown.
import { describe, expect, it } from 'vitest';
import { activityOf } from '../../../panel/src/components/views/chat-thread.ts';

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
