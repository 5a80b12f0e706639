// for_seconds (HA's `for:`): "when the garage door is open for more than 10 minutes". The demo
// home's state bridged to the actuator, the injected clock moved instead of waiting: it acts once
// the state has held, not before; a change back cancels it; a restart in the middle of the wait
// (the hold read back from SQLite, the state checked again in HA) acts once, or cancels when the
// state changed while the rule was down. Each step shows in the rule's traces.
import { afterEach, describe, expect, it } from 'vitest';
import { HaActuatorAgent, type ActuatorStats } from '../../../server/src/agents/ha/actuator/actuator-agent.ts';
import { HaStateBridge } from '../../../server/src/agents/ha/state-bridge.ts';
import { RuleTraceRecorder } from '../../../server/src/agents/planner/traces/recorder.ts';
import { TraceStore } from '../../../server/src/agents/planner/traces/trace-store.ts';
import { actuatorConfig } from './configs.ts';
import { eventually, startWorld, type HaAgentsWorld } from './world.ts';

let world: HaAgentsWorld;
let traces: RuleTraceRecorder;
afterEach(async () => world.close());

const GARAGE = 'cover.garage_door';
const config = actuatorConfig({
  mqtt_topics: [`ha/state_changes/cover/${GARAGE}`],
  detection_filter: { 'new_state.state': 'open' },
  for_seconds: 600,
  actions: [{ domain: 'light', service: 'turn_on', entity_id: 'light.hallway' }],
});

/** The state bridge and the actuator, on the world's system (again after a restart). */
async function spawn(): Promise<void> {
  traces = new RuleTraceRecorder({ store: new TraceStore(world.db), clock: world.clock });
  traces.attachRules((agent) => (agent === 'door-light' ? 'rule-1' : undefined));
  await world.system.spawn(new HaStateBridge({ ha: world.ha }));
  await world.system.spawn(new HaActuatorAgent(config, { ha: world.ha, sensitiveConfirmed: true, traces }));
  await world.synced();
}

/** The add-on restarting: traces flushed (as the runtime's closers do), then the system rebuilt. */
async function restart(between: () => Promise<void>): Promise<void> {
  traces.stop();
  await world.restart(between);
  await spawn();
}

async function status(): Promise<ActuatorStats & { holds?: { key: string; deadline: number }[] }> {
  return world.system.ask('door-light', 'status');
}

const outcomes = () => traces.list('rule-1').reverse().map((t) => t.outcome);
const lightCalls = () => world.home.serviceCalls().filter((c) => c.domain === 'light' && c.service === 'turn_on');

async function garage(state: 'open' | 'closed', attributes: Record<string, unknown> = {}): Promise<void> {
  const before = (await status()).triggers;
  world.home.setState(GARAGE, state, { device_class: 'garage', ...attributes });
  await eventually(() => world.ha.getState(GARAGE)?.state === state, 'the cache has the state');
  for (let i = 0; (await status()).triggers === before; i++) {
    if (i > 2_000) throw new Error('the actuator never heard the change');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('ha_actuator for_seconds', () => {
  it('acts once the state has held for the duration, and once per stretch', async () => {
    world = await startWorld();
    world.home.setState(GARAGE, 'closed', { device_class: 'garage' });
    await spawn();
    await garage('open');
    expect(outcomes()).toEqual(['pending']);
    expect((await status()).holds).toEqual([{ key: GARAGE, since: world.clock.now(), deadline: world.clock.now() + 600_000 }]);

    await world.clock.advance(599_000);
    expect(lightCalls()).toEqual([]);
    await world.clock.advance(1_000);
    await eventually(() => outcomes().includes('acted'), 'the rule acted');
    expect(lightCalls()).toHaveLength(1);
    const fired = traces.list('rule-1')[0];
    expect(fired?.outcome).toBe('acted');
    expect(fired?.steps[0]).toMatchObject({ kind: 'for', label: 'for 600 s', ok: true });
    expect(fired?.steps[0]?.detail).toContain(`${GARAGE} is "open"`);

    // Still open (an attribute changes): no second firing for the same stretch.
    await garage('open', { current_position: 100 });
    await world.clock.advance(700_000);
    expect(lightCalls()).toHaveLength(1);
    expect(outcomes()).toEqual(['pending', 'acted', 'filtered']);
    expect(traces.list('rule-1')[0]?.steps.at(-1)?.detail).toMatch(/^already acted for this stretch/);

    // Closed and opened again: a new stretch, a new wait.
    await garage('closed');
    await garage('open');
    expect(outcomes().at(-1)).toBe('pending');
  });

  it('is cancelled when the state changes back before the duration', async () => {
    world = await startWorld();
    world.home.setState(GARAGE, 'closed', { device_class: 'garage' });
    await spawn();
    await garage('open');
    await world.clock.advance(300_000);
    await garage('closed');
    expect(outcomes()).toEqual(['pending', 'cancelled']);
    expect(traces.list('rule-1')[0]?.steps.at(-1)).toMatchObject({ kind: 'for', ok: false, detail: 'the state changed after 300 s of 600 s' });
    expect((await status()).holds).toEqual([]);
    await world.clock.advance(600_000);
    expect(lightCalls()).toEqual([]);
  });

  it('a restart in the middle of the wait: the hold is read back, checked in HA, and acts once', async () => {
    world = await startWorld();
    world.home.setState(GARAGE, 'closed', { device_class: 'garage' });
    await spawn();
    await garage('open');
    await world.clock.advance(300_000);
    // Down for ten minutes: the deadline passes while nothing runs.
    await restart(() => world.clock.advance(600_000));
    await world.clock.advance(0);
    await eventually(() => outcomes().includes('acted'), 'the rule acted after the restart');
    expect(lightCalls()).toHaveLength(1);
    expect(traces.list('rule-1')[0]?.steps[0]?.detail).toMatch(/checked 300 s late/);
    // Once: another restart and more time change nothing, the stretch has fired.
    await restart(() => world.clock.advance(600_000));
    await world.clock.advance(600_000);
    expect(lightCalls()).toHaveLength(1);
    expect(outcomes()).toEqual(['pending', 'acted']);
  });

  it('a restart after the state changed while down cancels the wait', async () => {
    world = await startWorld();
    world.home.setState(GARAGE, 'closed', { device_class: 'garage' });
    await spawn();
    await garage('open');
    await restart(async () => {
      world.home.setState(GARAGE, 'closed', { device_class: 'garage' });
      await eventually(() => world.ha.getState(GARAGE)?.state === 'closed', 'the cache has the state');
      await world.clock.advance(900_000);
    });
    await world.clock.advance(600_000);
    expect(lightCalls()).toEqual([]);
    expect(outcomes()).toEqual(['pending', 'cancelled']);
    expect(traces.list('rule-1')[0]?.steps[0]?.detail).toBe(`the state changed while the rule was stopped: ${GARAGE} is "closed"`);
  });
});
