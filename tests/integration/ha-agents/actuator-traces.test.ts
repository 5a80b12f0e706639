// Every evaluation of an ha_actuator belonging to a rule leaves a trace in SQLite: filtered out
// (each clause with the value it saw), held by the cooldown, a condition false (with the entity's
// state then), acted (HA's answer per call), refused as sensitive. Real broker, demo home, SQLite file.
import { afterEach, describe, expect, it } from 'vitest';
import { HaActuatorAgent, type ActuatorStats } from '../../../server/src/agents/ha/actuator/actuator-agent.ts';
import { RuleTraceRecorder } from '../../../server/src/agents/planner/traces/recorder.ts';
import { TraceStore } from '../../../server/src/agents/planner/traces/trace-store.ts';
import { actuatorConfig } from './configs.ts';
import { eventually, startWorld, type HaAgentsWorld } from './world.ts';

let world: HaAgentsWorld;
let traces: RuleTraceRecorder;
afterEach(async () => world.close());

const turnOnHallway = [{ domain: 'light', service: 'turn_on', entity_id: 'light.hallway' }];

async function spawn(input: Record<string, unknown>, confirmed = true) {
  traces = new RuleTraceRecorder({ store: new TraceStore(world.db), clock: world.clock });
  traces.attachRules((agent) => (agent === 'door-light' ? 'rule-1' : undefined));
  await world.system.spawn(new HaActuatorAgent(actuatorConfig(input), { ha: world.ha, sensitiveConfirmed: confirmed, traces }));
  await world.synced();
}

/** The actuator's counters once it has handled `n` triggers (asked through its mailbox, so the evaluation is over). */
async function statsAfter(n: number): Promise<ActuatorStats> {
  for (let i = 0; ; i++) {
    const stats = await world.system.ask<ActuatorStats>('door-light', 'status');
    if (stats.triggers >= n) return stats;
    if (i > 2_000) throw new Error(`door-light handled only ${stats.triggers} of ${n} triggers`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Oldest first, for reading in the order things happened. */
const traced = () => traces.list('rule-1').reverse();

describe('ha_actuator traces', () => {
  it('a filter that rejects: every clause with the value it saw', async () => {
    world = await startWorld();
    await spawn({ mqtt_topics: ['custom/triggers/door'], detection_filter: { 'new_state.state': 'on', 'attributes.level': { gt: 5 } }, actions: turnOnHallway });
    world.publish('custom/triggers/door', { new_state: { state: 'off' }, attributes: { level: 9 } });
    await statsAfter(1);
    const [t] = traced();
    expect(t).toMatchObject({ ruleId: 'rule-1', agent: 'door-light', kind: 'trigger', topic: 'wactorz/custom/triggers/door', outcome: 'filtered' });
    expect(t?.message).toBe('{"new_state":{"state":"off"},"attributes":{"level":9}}');
    expect(t?.steps).toEqual([
      { kind: 'filter', label: 'new_state.state', ok: false, detail: '"off", wanted "on"', ms: 0 },
      { kind: 'filter', label: 'attributes.level', ok: true, detail: '9, wanted {"gt":5}', ms: 0 },
    ]);
    expect(world.home.serviceCalls()).toEqual([]);
  });

  it('acts, then the cooldown holds: HA\'s answer and the cooldown both recorded', async () => {
    world = await startWorld();
    await spawn({ mqtt_topics: ['custom/triggers/x'], detection_filter: { go: true }, cooldown_seconds: 60, actions: turnOnHallway });
    world.publish('custom/triggers/x', { go: true });
    await statsAfter(1);
    await world.clock.advance(20_000);
    world.publish('custom/triggers/x', { go: true });
    await statsAfter(2);
    const [acted, held] = traced();
    expect(acted?.outcome).toBe('acted');
    expect(acted?.steps.map((s) => [s.kind, s.ok])).toEqual([['filter', true], ['cooldown', true], ['ha', true], ['sensitive', true], ['action', true]]);
    expect(acted?.steps.at(-1)).toMatchObject({ label: 'light.turn_on light.hallway', detail: 'HA answered ok' });
    expect(held).toMatchObject({ outcome: 'cooldown', steps: [{ kind: 'filter', ok: true }, { kind: 'cooldown', ok: false, detail: 'cooldown: ran 20 s ago, cooldown is 60 s' }] });
    expect(world.home.serviceCalls()).toHaveLength(1);
  });

  it('a condition false: the entity\'s state at that moment', async () => {
    world = await startWorld();
    await spawn({ mqtt_topics: ['custom/triggers/x'], cooldown_seconds: 0, conditions: [{ entity_id: 'sun.sun', state: 'below_horizon' }], actions: turnOnHallway });
    world.home.setState('sun.sun', 'above_horizon');
    await eventually(() => world.ha.getState('sun.sun')?.state === 'above_horizon', 'the cache to see the sun up');
    world.publish('custom/triggers/x', {});
    await statsAfter(1);
    const [t] = traced();
    expect(t?.outcome).toBe('condition_false');
    expect(t?.steps.find((s) => s.kind === 'condition')).toEqual({ kind: 'condition', label: 'sun.sun', ok: false, detail: 'sun.sun is "above_horizon", the rule wants eq "below_horizon"', ms: 0 });
  });

  it('refused as sensitive: the unconfirmed action named', async () => {
    world = await startWorld();
    await spawn({ mqtt_topics: ['custom/triggers/x'], cooldown_seconds: 0, actions: [{ domain: 'lock', service: 'unlock', entity_id: 'lock.front_door' }] }, false);
    world.publish('custom/triggers/x', {});
    await statsAfter(1);
    const [t] = traced();
    expect(t?.outcome).toBe('refused_sensitive');
    expect(t?.steps.at(-1)).toMatchObject({ kind: 'sensitive', ok: false });
    expect(t?.steps.at(-1)?.detail).toContain('lock.front_door');
    expect(world.home.getState('lock.front_door')?.state).toBe('locked');
  });

  it('an actuator that belongs to no rule is not traced', async () => {
    world = await startWorld();
    traces = new RuleTraceRecorder({ store: new TraceStore(world.db), clock: world.clock });
    await world.system.spawn(new HaActuatorAgent(actuatorConfig({ mqtt_topics: ['custom/triggers/x'], actions: turnOnHallway }), { ha: world.ha, sensitiveConfirmed: true, traces }));
    await world.synced();
    world.publish('custom/triggers/x', {});
    await eventually(() => world.home.serviceCalls().length === 1, 'the call');
    expect(new TraceStore(world.db).count()).toBe(0);
  });
});
