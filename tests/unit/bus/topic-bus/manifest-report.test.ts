import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../server/src/core/clock.ts';
import { TopicContract } from '../../../../server/src/bus/topic-bus/contract.ts';
import { buildManifest, contractFromManifest, manifestTopic, restoreManifests } from '../../../../server/src/bus/topic-bus/manifest.ts';
import { TopicRegistry } from '../../../../server/src/bus/topic-bus/registry.ts';
import { formatBusReport, formatSamplesForPrompt } from '../../../../server/src/bus/topic-bus/report.ts';

function seedRegistry(clock = new ManualClock()): TopicRegistry {
  const r = new TopicRegistry(clock);
  r.register(TopicContract.parse({ agent: 'temp-simulator', publishes: ['sensors/data'] }));
  r.register(TopicContract.parse({ agent: 'mean-logger', subscribes: ['sensors/data'] }));
  r.observe('sensors/data', { temp: 30.5, humidity: 47.7 }, 'temp-simulator');
  return r;
}

describe('/bus report', () => {
  it('reads like the original registry listing', () => {
    expect(formatBusReport(seedRegistry())).toBe(
      [
        'TopicBus — Reactive Pub/Sub Registry',
        '  agents with contracts : 2',
        '  published topics      : 1',
        '  subscribed topics     : 1',
        '  auto-wiring pairs     : 1',
        '',
        '  [mean-logger]',
        '    subscribes: sensors/data',
        '',
        '  [temp-simulator]',
        '    publishes : sensors/data',
        "    OBSERVED on 'sensors/data': fields={temp: number, humidity: number} (1 msg)",
        '',
        'Auto-wiring opportunities:',
        '  temp-simulator → mean-logger  via sensors/data',
      ].join('\n'),
    );
  });

  it('marks inferred contracts, shows wildcard filters and says when there is no wiring', () => {
    const r = new TopicRegistry(new ManualClock());
    r.observe('zigbee/lamp', { state: 'ON' }, 'bridge');
    expect(formatBusReport(r)).toContain('[bridge] (inferred from publishes)');
    expect(formatBusReport(r)).toContain('Auto-wiring opportunities: none');
    r.register(TopicContract.parse({ agent: 'watch', subscribes: ['zigbee/#'], triggers: ['zigbee/lamp'] }));
    expect(formatBusReport(r)).toContain('  bridge → watch  via zigbee/lamp (filter zigbee/#)');
    expect(formatBusReport(r)).toContain('    triggers  : zigbee/lamp');
  });

  it('gives the planner the exact observed field names for a topic', () => {
    const text = formatSamplesForPrompt(seedRegistry(), ['sensors/data', 'never/seen']);
    expect(text).toContain('Topic: sensors/data  (published by temp-simulator)');
    expect(text).toContain('Fields: {temp: number, humidity: number}');
    expect(text).toContain('Example payload: {"temp":30.5,"humidity":47.7}');
    expect(text).not.toContain('never/seen');
    expect(formatSamplesForPrompt(seedRegistry(), ['never/seen'])).toBe('');
  });
});

describe('agent manifest', () => {
  it('carries the name, the contract and the observed samples', () => {
    const clock = new ManualClock();
    const r = seedRegistry(clock);
    const m = buildManifest(r.get('temp-simulator') as TopicContract, clock.now(), { id: 'abc123', type: 'dynamic' });
    expect(m).toMatchObject({ name: 'temp-simulator', id: 'abc123', type: 'dynamic', contract: { publishes: ['sensors/data'] } });
    expect(m.observed_samples['sensors/data']?.example).toEqual({ temp: 30.5, humidity: 47.7 });
    expect(manifestTopic('abc123')).toBe('agents/abc123/manifest');
  });

  it('round-trips through JSON and restores a registry after a restart', () => {
    const clock = new ManualClock();
    const before = seedRegistry(clock);
    const retained = before.contracts().map((c) => JSON.parse(JSON.stringify(buildManifest(c, clock.now()))) as unknown);
    const after = new TopicRegistry(clock);
    expect(restoreManifests(after, [...retained, { name: 'x', garbage: true }, 'not json'])).toEqual(['temp-simulator', 'mean-logger']);
    expect(after.wiring()).toEqual(before.wiring());
    expect(after.get('temp-simulator')?.observed_samples['sensors/data']?.fields).toEqual({ temp: 'number', humidity: 'number' });
    expect(contractFromManifest({ nope: 1 })).toBeUndefined();
  });
});
