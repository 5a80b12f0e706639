// What the rules card lists, from a `hass` shaped like HA frontend's: only Wactorz's rule
// switches (another integration's switch is not a rule), named as HA's own cards name them,
// unavailable ones kept but unknown; and which agent the chat card talks to.
import { describe, expect, it } from 'vitest';
import { agentOf, DEFAULT_AGENT } from '../../../cards/src/conversation.ts';
import type { HassEntity, HomeAssistant } from '../../../cards/src/hass.ts';
import { ago, ruleRows } from '../../../cards/src/rules.ts';

function state(entity_id: string, s: string, attributes: Record<string, unknown>): HassEntity {
  return { entity_id, state: s, attributes, last_changed: '2026-05-13T10:00:00Z', last_updated: '2026-05-13T10:00:00Z' };
}

function hass(): HomeAssistant {
  return {
    language: 'en',
    states: {
      'switch.wactorz_rule_porch': state('switch.wactorz_rule_porch', 'on', { friendly_name: 'Wactorz Rule Porch light at dusk', rule_id: 'r-porch', status: 'active', description: 'porch on at dusk', last_fired_at: '2026-05-13T09:00:00Z', fire_count: 3 }),
      'switch.wactorz_rule_garage': state('switch.wactorz_rule_garage', 'unavailable', { friendly_name: 'Wactorz Rule Garage closes at night' }),
      'switch.coffee_maker': state('switch.coffee_maker', 'on', { friendly_name: 'Coffee maker' }),
      'conversation.wactorz': state('conversation.wactorz', 'unknown', {}),
    },
    entities: {
      'switch.wactorz_rule_porch': { entity_id: 'switch.wactorz_rule_porch', platform: 'wactorz', device_id: 'dev-w' },
      'switch.wactorz_rule_garage': { entity_id: 'switch.wactorz_rule_garage', platform: 'wactorz', device_id: 'dev-w' },
      'switch.coffee_maker': { entity_id: 'switch.coffee_maker', platform: 'tplink' },
      'conversation.wactorz_2': { entity_id: 'conversation.wactorz_2', platform: 'wactorz', device_id: 'dev-w' },
    },
    devices: { 'dev-w': { id: 'dev-w', name: 'Wactorz', name_by_user: null } },
    callService: () => Promise.resolve(undefined),
    callWS: () => Promise.reject(new Error('not used')),
  };
}

describe('the rules card rows', () => {
  it('lists only Wactorz rule switches, by name without the device in front, sorted', () => {
    expect(ruleRows(hass()).map((r) => r.name)).toEqual(['Rule Garage closes at night', 'Rule Porch light at dusk']);
  });

  it('reads the status, last firing and id of an available rule', () => {
    const porch = ruleRows(hass()).find((r) => r.entityId === 'switch.wactorz_rule_porch');
    expect(porch).toEqual({ entityId: 'switch.wactorz_rule_porch', ruleId: 'r-porch', name: 'Rule Porch light at dusk', description: 'porch on at dusk', enabled: true, available: true, status: 'active', lastFiredAt: '2026-05-13T09:00:00Z', fireCount: 3 });
  });

  it('keeps an unavailable rule (Wactorz unreachable) without pretending to know its state', () => {
    const garage = ruleRows(hass()).find((r) => r.entityId === 'switch.wactorz_rule_garage');
    expect(garage).toMatchObject({ available: false, enabled: false, ruleId: null, status: null, lastFiredAt: null });
  });

  it('says how long ago a rule fired in the dashboard language', () => {
    const now = Date.parse('2026-05-13T10:00:00Z');
    expect(ago('2026-05-13T09:57:00Z', 'en', now)).toBe('3 min. ago');
    expect(ago('2026-05-13T07:00:00Z', 'en', now)).toBe('3 hr. ago');
    expect(ago('2026-05-11T10:00:00Z', 'de', now)).toBe('vorgestern');
  });
});

describe('the chat card agent', () => {
  it('is the configured one, else the Wactorz integration\'s conversation entity, else conversation.wactorz', () => {
    expect(agentOf(hass(), 'conversation.home_assistant')).toBe('conversation.home_assistant');
    expect(agentOf(hass(), undefined)).toBe('conversation.wactorz_2');
    expect(agentOf({ ...hass(), entities: {} }, undefined)).toBe(DEFAULT_AGENT);
  });
});
