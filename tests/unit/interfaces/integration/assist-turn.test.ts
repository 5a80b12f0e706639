import { describe, expect, it } from 'vitest';
import { assistTurn, isLimitedTurn } from '../../../../server/src/interfaces/integration/assist-turn.ts';

const policy = { nonAdmin: 'restricted' as const, limitedDevices: ['dev-porch-satellite', 'garden'] };
const signal = new AbortController().signal;

describe('an Assist turn from the companion integration', () => {
  it('is the HA user who spoke, in HA’s conversation, from the satellite’s area', () => {
    const turn = assistTurn({ text: 'turn on the light', conversation_id: '01JF3', language: 'de', user: { id: 'u1', name: 'Alex', is_admin: true }, satellite_id: 'sat-kitchen', device_id: 'dev-kitchen', area_id: 'kitchen' }, policy, signal);
    expect(turn).toEqual({ user: { id: 'u1', name: 'Alex' }, channel: 'assist', conversationId: '01JF3', signal, place: { areaId: 'kitchen', deviceId: 'sat-kitchen' }, language: 'de' });
  });

  it('without a user (an automation) is Assist’s, with a fresh conversation when HA gives none', () => {
    const turn = assistTurn({ text: 'hello' }, policy, signal);
    expect(turn.user).toEqual({ id: 'assist', name: 'Home Assistant Assist' });
    expect(turn.channel).toBe('assist');
    expect(turn.conversationId).toMatch(/^assist-[\w-]{12}$/);
    expect(turn).not.toHaveProperty('place');
  });

  it('is restricted for a non-administrator unless the owner grants them everything', () => {
    const user = { id: 'kid', name: 'Sam', is_admin: false };
    expect(assistTurn({ text: 'unlock the door', user }, policy, signal).channel).toBe('assist_limited');
    expect(assistTurn({ text: 'unlock the door', user }, { ...policy, nonAdmin: 'full' }, signal).channel).toBe('assist');
  });

  it('is restricted at a satellite or in an area the owner marked as public, whoever speaks', () => {
    const admin = { id: 'u1', is_admin: true };
    expect(isLimitedTurn({ user: admin, device_id: 'dev-porch-satellite' }, policy)).toBe(true);
    expect(isLimitedTurn({ user: admin, area_id: 'garden' }, policy)).toBe(true);
    expect(isLimitedTurn({ user: admin, area_id: 'kitchen' }, policy)).toBe(false);
  });
});
