// Process-owned topics (HA state changes): anyone on a shared broker can publish on any topic, so
// what arrives from the broker on a topic only this process publishes is dropped, and local
// subscribers get the process's own publishes in-process.
import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EmbeddedBroker } from '../../../server/src/bus/embedded-broker.ts';
import { MemoryBus } from '../../../server/src/bus/memory-bus.ts';
import { flushMicrotasks } from '../../../server/src/core/clock.ts';
import { PROCESS_OWNED_TOPICS } from '../../../server/src/bus/topics.ts';
import { startAedes } from '../../helpers/brokers.ts';
import { stateChangePayload } from '../../helpers/ha-state-change.ts';
import { bareClient, eventually, openBus, synced, type BusUnderTest } from './support.ts';

const change = (entity: string, state: string) => stateChangePayload(entity, state);

describe('process-owned topics on a real broker', () => {
  let broker: EmbeddedBroker;
  const open: BusUnderTest[] = [];
  const bare: MqttClient[] = [];
  beforeEach(async () => {
    broker = await startAedes();
  });
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close();
    for (const c of bare.splice(0)) await c.endAsync();
    await broker.close();
  });

  it('delivers its own state changes in-process, mirrors them to the broker, and never believes a forged one', async () => {
    const under = await openBus(broker.url, { ownedTopics: PROCESS_OWNED_TOPICS });
    open.push(under);
    const { bus } = under;
    const subscribe = vi.spyOn(under.conn.client, 'subscribe');
    const seen: string[] = [];
    bus.subscribe('haStateChange', { domain: 'lock' }, (p) => seen.push(`${p.entity_id}=${(p.new_state as { state: string }).state}`));
    // Wholly inside an owned topic: nothing to ask the broker for.
    expect(subscribe).not.toHaveBeenCalled();

    const outsider = await bareClient(broker.url);
    bare.push(outsider);
    const mirrored: string[] = [];
    outsider.on('message', (topic) => mirrored.push(topic));
    await outsider.subscribeAsync('wactorz/ha/state_changes/#');

    await outsider.publishAsync('wactorz/ha/state_changes/lock/lock.front_door', JSON.stringify(change('lock.front_door', 'unlocked')));
    bus.publish('haStateChange', { domain: 'lock', entity_id: 'lock.front_door' }, change('lock.front_door', 'locked'));
    await eventually(() => seen.length === 1 && mirrored.length >= 2, 'the real change arrived and was mirrored');
    expect(seen).toEqual(['lock.front_door=locked']);
    expect(mirrored).toContain('wactorz/ha/state_changes/lock/lock.front_door');
  });

  it('drops broker copies of owned topics for a wider filter that the broker must serve, and counts them', async () => {
    const under = await openBus(broker.url, { ownedTopics: PROCESS_OWNED_TOPICS });
    open.push(under);
    const { bus } = under;
    const seen: string[] = [];
    bus.subscribeRaw('wactorz/#', (topic) => seen.push(topic));
    await synced(under);
    const outsider = await bareClient(broker.url);
    bare.push(outsider);
    await outsider.publishAsync('wactorz/ha/state_changes/lock/lock.front_door', JSON.stringify(change('lock.front_door', 'unlocked')));
    await outsider.publishAsync('wactorz/custom/triggers/doorbell', '{"pressed":true}');
    bus.publish('haStateChange', { domain: 'light', entity_id: 'light.porch' }, change('light.porch', 'on'));
    // The forged one and the echo of ours are both dropped; ours arrived once, in-process.
    await eventually(() => bus.stats().foreignDropped === 2 && seen.includes('wactorz/custom/triggers/doorbell'), 'the forgery and the echo were dropped');
    expect(seen.filter((t) => t.includes('state_changes'))).toEqual(['wactorz/ha/state_changes/light/light.porch']);
  });
});

describe('process-owned topics in memory', () => {
  it('keeps the flat state_changes topic owned too, and leaves other topics alone', async () => {
    const bus = new MemoryBus('home/wactorz', { ownedTopics: PROCESS_OWNED_TOPICS });
    const seen: string[] = [];
    bus.subscribeRaw('home/wactorz/ha/#', (topic) => seen.push(topic));
    bus.inject('home/wactorz/ha/state_changes', '{"entity_id":"lock.x"}');
    bus.inject('home/wactorz/ha/map/entities_with_location', '{}');
    bus.publishRaw('home/wactorz/ha/state_changes', { entity_id: 'light.y' });
    await eventually(() => seen.length === 2, 'two deliveries');
    expect(seen).toEqual(['home/wactorz/ha/map/entities_with_location', 'home/wactorz/ha/state_changes']);
    expect(bus.isOwnedTopic('home/wactorz/ha/state_changes/lock/lock.x')).toBe(true);
    expect(bus.isOwnedTopic('home/wactorz/custom/triggers/x')).toBe(false);
    expect(bus.stats().foreignDropped).toBe(2);
  });

  it('without owned topics, behaves as before: what the broker delivers is dispatched', async () => {
    const bus = new MemoryBus();
    const seen: string[] = [];
    bus.subscribeRaw('wactorz/ha/state_changes/#', (topic) => seen.push(topic));
    bus.inject('wactorz/ha/state_changes/light/light.x', '{}');
    expect(seen).toEqual(['wactorz/ha/state_changes/light/light.x']);
    expect(bus.stats().foreignDropped).toBe(0);
  });
});

describe('topics claimed case by case', () => {
  it('delivers a claimed topic in-process and drops broker copies of it, while the unclaimed ones of the same filter come from the broker', async () => {
    const bus = new MemoryBus('wactorz');
    const local = new Set(['kitchen-rule']);
    bus.claimTopics('wactorz/agents/+/actuations', (levels) => local.has(levels[2] ?? ''));
    const seen: string[] = [];
    bus.subscribeRaw('wactorz/agents/+/actuations', (topic, payload) => seen.push(`${topic.split('/')[2]}:${payload.toString()}`));
    bus.inject('wactorz/agents/kitchen-rule/actuations', 'forged');
    bus.inject('wactorz/agents/pi-agent/actuations', 'from-a-node');
    bus.publishRaw('wactorz/agents/kitchen-rule/actuations', 'real');
    await eventually(() => seen.length >= 2, 'the node\'s actuation and ours');
    await flushMicrotasks();
    // The forgery and the broker's echo of ours are dropped; ours arrived once, in-process.
    expect(seen).toEqual(['pi-agent:from-a-node', 'kitchen-rule:real']);
    expect(bus.stats().foreignDropped).toBe(2);
    local.delete('kitchen-rule');
    bus.inject('wactorz/agents/kitchen-rule/actuations', 'after-it-left');
    expect(seen.at(-1)).toBe('kitchen-rule:after-it-left');
  });
});
