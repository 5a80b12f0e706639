import { describe, expect, it } from 'vitest';
import { sensitiveActions, sensitiveFingerprint } from '../../../../server/src/agents/ha/sensitive.ts';
import type { HaAction } from '../../../../server/src/ha/action.ts';
import { demoView } from './demo-snapshot.ts';

const action = (domain: string, service: string, target?: HaAction['target'], service_data: Record<string, unknown> = {}): HaAction => ({ domain, service, ...(target ? { target } : {}), service_data });

describe('sensitive actions', () => {
  const home = demoView();

  it('are locks, alarm panels and garage/door covers, by entity or by domain', () => {
    expect(sensitiveActions([action('lock', 'unlock', { entity_id: ['lock.front_door'] })], home)).toEqual(['lock.front_door']);
    expect(sensitiveActions([action('cover', 'open_cover', { entity_id: ['cover.garage_door'] })], home)).toEqual(['cover.garage_door']);
    expect(sensitiveActions([action('alarm_control_panel', 'alarm_disarm')], home)).toEqual(['alarm_control_panel']);
    expect(sensitiveActions([action('light', 'turn_on', { entity_id: ['light.kitchen'] })], home)).toEqual([]);
  });

  it('are caught through generic services, service_data, areas and unknown covers', () => {
    expect(sensitiveActions([action('homeassistant', 'toggle', { entity_id: ['cover.garage_door'] })], home)).toEqual(['cover.garage_door']);
    expect(sensitiveActions([action('lock', 'unlock', undefined, { entity_id: 'lock.front_door' })], home)).toEqual(['lock.front_door']);
    expect(sensitiveActions([action('cover', 'open_cover', { area_id: ['garage'] })], home)).toContain('cover.garage_door');
    expect(sensitiveActions([action('cover', 'open_cover', { entity_id: ['cover.unknown_thing'] })], home)).toEqual(['cover.unknown_thing']);
  });

  it('are caught whatever the case of an entity id in service_data, and fingerprinted', () => {
    const upper = action('homeassistant', 'turn_on', undefined, { entity_id: 'LOCK.FRONT_DOOR' });
    expect(sensitiveActions([upper], home)).toEqual(['lock.front_door']);
    expect(sensitiveFingerprint([upper])).not.toBe('');
  });

  it('have a fingerprint that ignores the rest of the rule and changes with the sensitive part', () => {
    const lock = action('lock', 'unlock', { entity_id: ['lock.front_door'] });
    const light = action('light', 'turn_on', { entity_id: ['light.hallway'] });
    expect(sensitiveFingerprint([light])).toBe('');
    expect(sensitiveFingerprint([lock, light])).toBe(sensitiveFingerprint([lock]));
    expect(sensitiveFingerprint([action('lock', 'unlock', { entity_id: ['lock.back_door'] })])).not.toBe(sensitiveFingerprint([lock]));
  });
});
