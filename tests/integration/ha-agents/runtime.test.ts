// The HA agents in the assembled server (demo home, embedded broker): the `ha` supervisor runs its
// three agents, GET /api/ha-map serves the map, the spawn types are registered, and a rule
// spawned through runtime.spawner acts on a state change end to end.
import { afterEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../server/src/runtime.ts';
import { runtimeIn } from '../../helpers/runtime.ts';
import { makeTempDir } from '../../helpers/tmp.ts';
import { eventually } from './world.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function runtime(): Promise<Runtime> {
  const dir = makeTempDir();
  cleanups.push(() => dir.cleanup());
  const rt = await runtimeIn(dir.path);
  cleanups.push(() => rt.stop());
  return rt;
}

describe('HA agents in the runtime', () => {
  it('start under the ha supervisor, serve the map and run spawned rules', async () => {
    const rt = await runtime();
    expect(rt.haAgents.supervisor.children().map((c) => [c.name, c.state])).toEqual([
      ['home-assistant-state-bridge', 'running'], ['home-assistant-agent', 'running'], ['home-assistant-map-agent', 'running'],
    ]);
    await eventually(() => rt.haAgents.mapStore.latest() !== undefined, 'the first map');
    const res = await fetch(`${rt.address}/api/ha-map`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { entities: { entity_id: string }[] }).entities.some((e) => e.entity_id === 'light.hallway')).toBe(true);

    await rt.spawner.spawn({ type: 'ha_actuator', name: 'motion-light', mqtt_topics: ['ha/state_changes/binary_sensor/binary_sensor.hallway_motion'], detection_filter: { 'new_state.state': 'on' }, actions: [{ service: 'light.turn_on', entity_id: 'light.hallway' }] } as never, { by: 'user' });
    await rt.spawner.spawn({ type: 'scheduled', name: 'night-off', schedule: { type: 'daily', at: '23:00' }, actions: [{ service: 'light.turn_off', entity_id: 'light.hallway' }] } as never, { by: 'user' });
    expect(rt.spawner.list().map((a) => [a.name, a.type])).toEqual([['motion-light', 'ha_actuator'], ['night-off', 'scheduled']]);
    // The subscription reaches the broker asynchronously; repeat the motion until the rule reacts.
    const demo = rt.haDemo!;
    await eventually(() => {
      if (demo.getState('light.hallway')?.state === 'on') return true;
      demo.setState('binary_sensor.hallway_motion', demo.getState('binary_sensor.hallway_motion')?.state === 'on' ? 'off' : 'on');
      return false;
    }, 'the hallway light to be turned on by the rule');
    expect(demo.serviceCalls().some((c) => c.domain === 'light' && c.service === 'turn_on')).toBe(true);
  });
});
