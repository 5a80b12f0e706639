import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../server/src/core/clock.ts';
import { TopicContract } from '../../../../server/src/bus/topic-bus/contract.ts';
import { TopicRegistry } from '../../../../server/src/bus/topic-bus/registry.ts';

function contract(agent: string, fields: Partial<TopicContract>): TopicContract {
  return TopicContract.parse({ agent, ...fields });
}

describe('TopicRegistry wiring', () => {
  it('finds the seed example: temp-simulator -> mean-logger via sensors/data', () => {
    const r = new TopicRegistry(new ManualClock());
    expect(r.register(contract('temp-simulator', { publishes: ['sensors/data'] }))).toEqual([]);
    const created = r.register(contract('mean-logger', { subscribes: ['sensors/data'] }));
    expect(created).toEqual([{ producer: 'temp-simulator', consumer: 'mean-logger', topic: 'sensors/data', via: 'sensors/data' }]);
    expect(r.wiring()).toEqual(created);
  });

  it('matches wildcards on the consumer side and on the producer side', () => {
    const r = new TopicRegistry(new ManualClock());
    r.register(contract('kitchen', { publishes: ['sensors/kitchen/temp'] }));
    r.register(contract('zigbee-bridge', { publishes: ['zigbee/+/state'] }));
    r.register(contract('all-sensors', { subscribes: ['sensors/#'] }));
    r.register(contract('lamp-watch', { subscribes: ['zigbee/lamp/state'] }));
    r.register(contract('humidity', { subscribes: ['sensors/+/humidity'] }));
    expect(r.wiring()).toEqual([
      { producer: 'kitchen', consumer: 'all-sensors', topic: 'sensors/kitchen/temp', via: 'sensors/#' },
      { producer: 'zigbee-bridge', consumer: 'lamp-watch', topic: 'zigbee/+/state', via: 'zigbee/lamp/state' },
    ]);
    expect(r.producersOf('sensors/+/temp')).toEqual([{ agent: 'kitchen', topic: 'sensors/kitchen/temp' }]);
    expect(r.consumersOf('sensors/hall/humidity').map((c) => c.agent)).toEqual(['all-sensors', 'humidity']);
  });

  it('treats triggers as consumption and never wires an agent to itself', () => {
    const r = new TopicRegistry(new ManualClock());
    r.register(contract('loop', { publishes: ['x/y'], subscribes: ['x/#'] }));
    r.register(contract('actuator', { triggers: ['x/y'] }));
    expect(r.wiring()).toEqual([{ producer: 'loop', consumer: 'actuator', topic: 'x/y', via: 'x/y' }]);
  });

  it('reports only the pairs a registration newly creates', () => {
    const r = new TopicRegistry(new ManualClock());
    r.register(contract('p', { publishes: ['t'] }));
    expect(r.register(contract('c', { subscribes: ['t'] }))).toHaveLength(1);
    expect(r.register(contract('c', { subscribes: ['t'], description: 'again' }))).toEqual([]);
  });

  it('declare() normalises loose input and reports warnings and wiring', () => {
    const r = new TopicRegistry(new ManualClock());
    r.register(contract('p', { publishes: ['sensors/data'] }));
    const { contract: c, warnings, wiring } = r.declare('c', { subscribe: 'sensors/data', topics: 'publishes' });
    expect(c.subscribes).toEqual(['sensors/data']);
    expect(warnings).toEqual(['topics: dropped "publishes" (a field name, not a topic)']);
    expect(wiring).toHaveLength(1);
  });
});

describe('TopicRegistry observed samples', () => {
  it('captures samples from real publishes onto the publisher\'s contract', () => {
    const r = new TopicRegistry(new ManualClock());
    r.register(contract('temp-simulator', { publishes: ['sensors/data'] }));
    r.observe('sensors/data', { temp: 30.5, humidity: 47.7 }, 'temp-simulator');
    expect(r.get('temp-simulator')?.observed_samples['sensors/data']?.fields).toEqual({ temp: 'number', humidity: 'number' });
    expect(r.sample('sensors/data')?.publisher).toBe('temp-simulator');
  });

  it('infers a contract for an agent that publishes without declaring, and reveals new wiring', () => {
    const r = new TopicRegistry(new ManualClock());
    r.register(contract('logger', { subscribes: ['sensors/#'] }));
    const pairs = r.observe('sensors/x', { v: 1 }, 'silent-producer');
    expect(pairs).toEqual([{ producer: 'silent-producer', consumer: 'logger', topic: 'sensors/x', via: 'sensors/#' }]);
    expect(r.get('silent-producer')?.declared).toBe(false);
    expect(r.observe('sensors/x', { v: 2 }, 'silent-producer')).toEqual([]);
  });

  it('keeps samples of unattributed publishes (devices, other clients) by topic', () => {
    const r = new TopicRegistry(new ManualClock());
    expect(r.observe('zigbee2mqtt/lamp', { state: 'ON' })).toEqual([]);
    expect(r.sample('zigbee2mqtt/lamp')?.sample.fields).toEqual({ state: 'string' });
    expect(r.contracts()).toEqual([]);
  });

  it('keeps observed samples when the agent re-declares its contract', () => {
    const r = new TopicRegistry(new ManualClock());
    r.observe('a/b', { x: 1 }, 'agent');
    r.register(contract('agent', { publishes: ['a/b'] }));
    expect(r.get('agent')?.observed_samples['a/b']?.count).toBe(1);
    expect(r.get('agent')?.declared).toBe(true);
  });

  it('bounds the topics remembered per agent and overall, forgetting the stalest', () => {
    const r = new TopicRegistry(new ManualClock(), { maxTopicsPerAgent: 2, maxTopics: 3 });
    for (const t of ['t/1', 't/2', 't/3', 't/4']) r.observe(t, 1, 'spammer');
    expect(Object.keys(r.get('spammer')?.observed_samples ?? {})).toEqual(['t/3', 't/4']);
    expect(r.observedTopics()).toEqual(['t/2', 't/3', 't/4']);
  });
});

describe('TopicRegistry pruning and search', () => {
  it('prunes agents not seen for the given age; heartbeats and publishes keep them', async () => {
    const clock = new ManualClock();
    const r = new TopicRegistry(clock);
    r.register(contract('idle', {}));
    r.register(contract('heartbeating', {}));
    r.register(contract('publishing', {}));
    await clock.advance(50_000);
    r.touch('heartbeating');
    r.observe('x', 1, 'publishing');
    await clock.advance(50_000);
    expect(r.prune(60_000)).toEqual(['idle']);
    expect(r.contracts().map((c) => c.agent)).toEqual(['heartbeating', 'publishing']);
    expect(r.lastSeen('heartbeating')).toBe(clock.now() - 50_000);
  });

  it('searches names, descriptions, topics and observed field names', () => {
    const r = new TopicRegistry(new ManualClock());
    r.register(contract('weather', { description: 'Fetches Forecasts', publishes: ['weather/now'] }));
    r.register(contract('energy', { subscribes: ['home/energy/current'] }));
    r.observe('meter/x', { kwh: 1 }, 'meter');
    expect(r.search('forecast').map((c) => c.agent)).toEqual(['weather']);
    expect(r.search('ENERGY').map((c) => c.agent)).toEqual(['energy']);
    expect(r.search('kwh').map((c) => c.agent)).toEqual(['meter']);
    expect(r.search('  ')).toHaveLength(3);
    expect(r.unregister('weather')).toBe(true);
    expect(r.search('forecast')).toEqual([]);
  });
});
