import { describe, expect, it } from 'vitest';
import { matches } from '../../../server/src/bus/match.ts';
import { MemoryBus } from '../../../server/src/bus/memory-bus.ts';
import { TOPICS, filterFor, isUnderRoot, parseTopic, relativeToRoot, relativeTopicFor, subtreeFilter, topicFor, underRoot } from '../../../server/src/bus/topics.ts';

describe('topic map', () => {
  it('declares every system topic of the original under the root', () => {
    const patterns = Object.values(TOPICS).map((t) => t.pattern);
    for (const leaf of ['heartbeat', 'logs', 'errors', 'alert', 'metrics', 'completed', 'actuations', 'manifest', 'commands', 'chat']) expect(patterns).toContain(`agents/{id}/${leaf}`);
    for (const leaf of ['spawn', 'stop', 'migrate', 'list', 'heartbeat', 'migrate_result']) expect(patterns).toContain(`nodes/{node}/${leaf}`);
    expect(patterns).toEqual(expect.arrayContaining(['agents/by-name/{name}/task', 'system/health', 'custom/triggers/{slug}', 'custom/detections/{slug}', 'schedule/{name}/fired', 'ha/state_changes/{domain}/{entity_id}', 'ha/map/entities_with_location']));
  });

  it('applies the QoS policy: commands 1, telemetry 0', () => {
    expect([TOPICS.agentCommands.qos, TOPICS.agentTaskByName.qos, TOPICS.nodeSpawn.qos]).toEqual([1, 1, 1]);
    expect([TOPICS.agentHeartbeat.qos, TOPICS.agentLogs.qos, TOPICS.agentMetrics.qos, TOPICS.systemHealth.qos]).toEqual([0, 0, 0, 0]);
  });

  it('builds, filters and parses topics under a configurable root', () => {
    expect(topicFor('home/wactorz', 'haStateChange', { domain: 'light', entity_id: 'kitchen' })).toBe('home/wactorz/ha/state_changes/light/kitchen');
    expect(filterFor('wactorz', 'haStateChange', { domain: 'light' })).toBe('wactorz/ha/state_changes/light/+');
    expect(parseTopic('home/wactorz', 'haStateChange', 'home/wactorz/ha/state_changes/light/kitchen')).toEqual({ domain: 'light', entity_id: 'kitchen' });
    expect(parseTopic('wactorz', 'agentHeartbeat', 'wactorz/agents/a/logs')).toBeUndefined();
    expect(parseTopic('wactorz', 'agentHeartbeat', 'other/agents/a/heartbeat')).toBeUndefined();
  });

  it('refuses parameters that would change the topic shape', () => {
    for (const id of ['a/b', '+', '#', '']) expect(() => topicFor('wactorz', 'agentLogs', { id })).toThrow(/not a valid topic segment/);
  });

  it('matches MQTT wildcards as the spec says', () => {
    expect(matches('a/+/c', 'a/b/c')).toBe(true);
    expect(matches('a/+/c', 'a/b/d')).toBe(false);
    expect(matches('a/#', 'a')).toBe(true);
    expect(matches('a/#', 'a/b/c')).toBe(true);
    expect(matches('+/x', '$SYS/x')).toBe(false);
    expect(matches('#', '$SYS/x')).toBe(false);
  });

  it('refuses an invalid subscription filter', () => {
    expect(() => new MemoryBus().subscribeRaw('a/#/b', () => undefined)).toThrow(/Invalid MQTT topic filter/);
  });
});

describe('topics only through the map', () => {
  it('declares node results, task replies and map chunks, and builds them like any other topic', () => {
    expect(topicFor('wactorz', 'nodeResult', { node: 'rpi' })).toBe('wactorz/nodes/rpi/result');
    expect(topicFor('wactorz', 'agentTaskReply', { id: 'main', correlation_id: 'c1' })).toBe('wactorz/agents/main/replies/c1');
    expect(topicFor('wactorz', 'nodeTaskReply', { node: 'rpi', correlation_id: 'c1' })).toBe('wactorz/nodes/rpi/replies/c1');
    expect(topicFor('wactorz', 'haEntitiesWithLocationChunk', { index: '3' })).toBe('wactorz/ha/map/entities_with_location/chunks/3');
    expect([TOPICS.nodeResult.qos, TOPICS.agentTaskReply.qos, TOPICS.haEntitiesWithLocationChunk.retain]).toEqual([1, 1, true]);
  });

  it('joins root-relative topics to the root and back, and filters a whole subtree', () => {
    expect(underRoot('home/wactorz', 'custom/energy')).toBe('home/wactorz/custom/energy');
    expect(relativeToRoot('home/wactorz', 'home/wactorz/custom/energy')).toBe('custom/energy');
    expect(relativeToRoot('wactorz', 'zigbee2mqtt/lamp')).toBe('zigbee2mqtt/lamp');
    expect([isUnderRoot('wactorz', 'wactorz/x'), isUnderRoot('wactorz', 'wactorzz/x'), isUnderRoot('wactorz', 'wactorz')]).toEqual([true, false, false]);
    expect(subtreeFilter('wactorz', 'haStateChanges', {})).toBe('wactorz/ha/state_changes/#');
    expect(relativeTopicFor('scheduleFired', { name: 'night' })).toBe('schedule/night/fired');
  });
});
