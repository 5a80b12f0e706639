import { afterEach, describe, expect, it } from 'vitest';
import { scheduledFactory } from '../../../server/src/agents/ha/scheduled/factory.ts';
import { ScheduledAgent, type ScheduledConfig } from '../../../server/src/agents/ha/scheduled/scheduled-agent.ts';
import { connectClient } from '../../helpers/ha.ts';
import type { SpawnOrigin } from '../../../server/src/agents/spawner/agent-spawner.ts';
import { scheduledConfig } from './configs.ts';
import { eventually, startWorld, type HaAgentsWorld } from './world.ts';

// The world's clock starts on Saturday 2026-01-10 at 12:00Z; the demo home is in Europe/Amsterdam (UTC+1).
let world: HaAgentsWorld;
afterEach(async () => world.close());

interface Status {
  next_fire: string | null;
  last_fire: string | null;
  fired: number;
  timezone: string;
  retired: { reason: string } | null;
}

const fired = (name = 'lights-off') => world.on(`schedule/${name}/fired`).map((s) => s.payload as Record<string, unknown>);
const status = () => world.system.ask<Status>('lights-off', 'status');

async function start(input: Record<string, unknown>, origin: SpawnOrigin = { by: 'user' }): Promise<ScheduledConfig> {
  const config = scheduledConfig(input);
  await scheduledFactory({ system: world.system, ha: world.ha }).start(config, origin);
  return config;
}

/** Restarts the actor system over the same database, the clock moved on meanwhile, and restores the agent. */
async function restartAt(iso: string, config: ScheduledConfig): Promise<void> {
  await world.restart(() => world.clock.setTime(Date.parse(iso)));
  await scheduledFactory({ system: world.system, ha: world.ha }).start(config, { by: 'restore' });
  // What is due fires on the first tick after the start.
  await world.clock.advance(0);
}

describe('scheduled agents', () => {
  it('fire daily at the wall-clock time of Home Assistant\'s zone, publish, act, and plan the next day', async () => {
    world = await startWorld();
    await start({ schedule: { type: 'daily', at: '13:30' }, actions: [{ service: 'light.turn_off', entity_id: 'light.living_room' }] });
    expect(await status()).toMatchObject({ timezone: 'Europe/Amsterdam', next_fire: '2026-01-10T12:30:00.000Z', fired: 0 });
    await world.clock.advance(29 * 60_000);
    expect((await status()).fired).toBe(0);
    await world.clock.advance(60_000);
    await eventually(() => fired().length === 1, 'the firing on MQTT');
    expect(fired()[0]).toMatchObject({ name: 'lights-off', kind: 'daily', scheduled_for: '2026-01-10T12:30:00.000Z', ts: Date.parse('2026-01-10T12:30:00Z') });
    expect(world.on('schedule/lights-off/fired')[0]?.qos).toBe(1);
    await eventually(() => world.home.getState('light.living_room')?.state === 'off', 'the light turned off by the schedule');
    expect(await status()).toMatchObject({ next_fire: '2026-01-11T12:30:00.000Z', last_fire: '2026-01-10T12:30:00.000Z', fired: 1 });
  });

  it('fire every interval, and on a custom topic with their payload', async () => {
    world = await startWorld();
    await start({ schedule: { type: 'interval', seconds: 1800 }, publish: { topic: 'custom/triggers/tick', payload: { all: true } } });
    await world.clock.advance(30 * 60_000);
    await world.clock.advance(30 * 60_000);
    await eventually(() => world.on('custom/triggers/tick').length === 2, 'two ticks');
    expect(world.on('custom/triggers/tick').map((s) => s.payload)).toEqual([
      expect.objectContaining({ all: true, kind: 'interval', scheduled_for: '2026-01-10T12:30:00.000Z' }),
      expect.objectContaining({ all: true, kind: 'interval', scheduled_for: '2026-01-10T13:00:00.000Z' }),
    ]);
    expect(fired()).toEqual([]);
  });

  it('plan sun events at Home Assistant\'s location, and a spec\'s own zone over HA\'s', async () => {
    world = await startWorld();
    await start({ schedule: { kind: 'sunset', offset: '-00:30' } });
    // Amsterdam, 10 January: sunset about 16:47 CET (15:47Z); 30 minutes before.
    const next = Date.parse((await status()).next_fire ?? '');
    expect(Math.abs(next - Date.parse('2026-01-10T15:17:00Z')) / 60_000).toBeLessThan(5);
    await world.system.deleteActor('lights-off');
    await start({ schedule: { type: 'daily', at: '13:30', timezone: 'UTC' } });
    expect((await status()).next_fire).toBe('2026-01-10T13:30:00.000Z');
  });

  it('fire a `once` missed during a restart by less than the grace period at start, late, then retire', async () => {
    world = await startWorld();
    const config = await start({ schedule: { type: 'once', at: '2026-01-10T13:00:00Z' } });
    expect((await status()).next_fire).toBe('2026-01-10T13:00:00.000Z');
    await restartAt('2026-01-10T13:05:00Z', config);
    await eventually(() => fired().length === 1, 'the late firing');
    expect(fired()[0]).toMatchObject({ scheduled_for: '2026-01-10T13:00:00.000Z', late_ms: 300_000, kind: 'once' });
    await eventually(() => world.system.get('lights-off')?.state === 'stopped', 'the once agent to retire');
    // Restored again: it knows it has fired and does not fire twice.
    await restartAt('2026-01-10T13:06:00Z', config);
    await eventually(() => world.system.get('lights-off')?.state === 'stopped', 'retired again');
    await world.clock.advance(3_600_000);
    world.publish('custom/triggers/marker', {});
    await eventually(() => world.on('custom/triggers/marker').length > 0, 'a marker after everything');
    expect(fired()).toHaveLength(1);
  });

  it('report a `once` missed by more than the grace period and retire it without firing', async () => {
    world = await startWorld();
    const config = await start({ schedule: { type: 'once', at: '2026-01-10T13:00:00Z' }, actions: [{ service: 'light.turn_off', entity_id: 'light.living_room' }] });
    await restartAt('2026-01-10T14:00:00Z', config);
    const agent = world.system.get('lights-off');
    await eventually(() => world.system.get('lights-off')?.state === 'stopped', 'the missed once to retire');
    await eventually(() => world.on(`agents/${agent?.id ?? ''}/errors`).length > 0, 'the report');
    expect(world.on(`agents/${agent?.id ?? ''}/errors`)[0]?.payload).toMatchObject({ phase: 'schedule', message: expect.stringContaining('missed by 60 min (more than the 10 min grace period)') as unknown });
    expect(fired()).toEqual([]);
    expect(world.home.serviceCalls()).toEqual([]);
  });

  it('fire a recurring schedule missed during a restart within grace, then keep its rhythm', async () => {
    world = await startWorld();
    const config = await start({ schedule: { type: 'daily', at: '13:30' } });
    await restartAt('2026-01-10T12:33:00Z', config);
    await eventually(() => fired().length === 1, 'the late daily firing');
    expect(fired()[0]).toMatchObject({ scheduled_for: '2026-01-10T12:30:00.000Z', late_ms: 180_000 });
    expect((await status()).next_fire).toBe('2026-01-11T12:30:00.000Z');
  });

  it('are rejected at spawn with a clear message when they cannot fire', async () => {
    world = await startWorld();
    const factory = scheduledFactory({ system: world.system, ha: world.ha });
    await expect(factory.start(scheduledConfig({ schedule: { type: 'once', at: '2026-01-09T09:00:00Z' } }), { by: 'user' })).rejects.toThrow(
      'scheduled lights-off rejected: schedule: "once" at 2026-01-09T09:00:00Z is in the past (it is now 2026-01-10T12:00:00.000Z).',
    );
    await expect(factory.start(scheduledConfig({ schedule: { kind: 'cron', expr: '0 0 30 2 *' } }), { by: 'user' })).rejects.toThrow(/never fires/);
    await expect(factory.start(scheduledConfig({ schedule: { type: 'daily', at: '07:00' }, actions: [{ service: 'light.turn_off', entity_id: 'light.attic' }] }), { by: 'user' })).rejects.toThrow(/no entity light\.attic/);
    await expect(factory.start(scheduledConfig({ schedule: { type: 'daily', at: '07:00' }, actions: [{ service: 'cover.open_cover', entity_id: 'cover.garage_door' }] }), { by: 'llm' })).rejects.toThrow(/needs your explicit confirmation/);
    expect(world.system.get('lights-off')).toBeUndefined();
  });

  it('still announce the firing when Home Assistant is unreachable, but do not act, and say so', async () => {
    world = await startWorld();
    await start({ schedule: { type: 'interval', seconds: 60 }, actions: [{ service: 'light.turn_off', entity_id: 'light.living_room' }] });
    const agent = world.system.get('lights-off');
    await world.home.stop();
    await eventually(() => world.ha.connectionState() !== 'connected', 'the client to notice');
    await world.clock.advance(60_000);
    await eventually(() => fired().length === 1 && world.on(`agents/${agent?.id ?? ''}/actuations`).length === 1, 'the firing and the report');
    expect(world.on(`agents/${agent?.id ?? ''}/actuations`)[0]?.payload).toMatchObject({ service: 'light.turn_off', status: 'ha_unreachable' });
    await world.home.start();
    expect(world.home.serviceCalls()).toEqual([]);
  });

  it('plan with the process\'s zone while HA\'s configuration is unknown, and replan once HA says where it is', async () => {
    world = await startWorld();
    await world.home.stop();
    const ha = await connectClient(world.home, { retryBaseMs: 20 });
    try {
      expect(ha.config()).toBeUndefined();
      await world.system.spawn(new ScheduledAgent(scheduledConfig({ schedule: { type: 'daily', at: '13:30' } }), { ha, sensitiveConfirmed: false }));
      const fallback = Intl.DateTimeFormat().resolvedOptions().timeZone;
      expect((await status()).timezone).toBe(fallback);
      await world.home.start();
      await ha.ready();
      await eventually(() => world.seen.some((s) => s.topic.endsWith('/logs') && JSON.stringify(s.payload).includes('schedule replanned')), 'the replan');
      expect(await status()).toMatchObject({ timezone: 'Europe/Amsterdam', next_fire: '2026-01-10T12:30:00.000Z' });
    } finally {
      await world.system.stopActor('lights-off');
      await ha.stop();
    }
  });
});
