// Device topics outside the root that the owner lets agents and rules read (mqtt_read_topics):
// which filters the option accepts, which agent and rule filters they cover, and that nothing
// about them opens a way to publish outside the root.
import { describe, expect, test } from 'vitest';
import { publishTarget, subscribeFilter } from '../../../server/src/agents/dynamic/agent-topics.ts';
import { qualifyTopic } from '../../../server/src/agents/ha/topics.ts';
import { externalFilterProblem, externalTopicsSection, filterWithin, isExternalRead } from '../../../server/src/bus/external-reads.ts';
import { MemoryBus } from '../../../server/src/bus/memory-bus.ts';
import { ConfigError, loadConfig } from '../../../server/src/config/load.ts';
import { readRefusal } from '../../../server/src/sandbox/topic-access.ts';

const allowed = ['zigbee2mqtt/+', 'tasmota/tele/+/SENSOR', 'sensors/raw/#'];
const self = { id: 'door', name: 'door' };

describe('the mqtt_read_topics filters', () => {
  test('device filters are accepted', () => {
    for (const f of allowed) expect(externalFilterProblem('wactorz', f), f).toBeUndefined();
  });

  test('the whole broker, $SYS, the root and the names of system topics are refused', () => {
    expect(externalFilterProblem('wactorz', '#')).toMatch(/leading wildcard/);
    expect(externalFilterProblem('wactorz', '+/status')).toMatch(/leading wildcard/);
    expect(externalFilterProblem('wactorz', '$SYS/#')).toMatch(/\$SYS/);
    expect(externalFilterProblem('wactorz', 'wactorz/#')).toMatch(/overlaps Wactorz's own topics/);
    expect(externalFilterProblem('wactorz', 'wactorz/agents/+/commands')).toMatch(/overlaps/);
    expect(externalFilterProblem('home/wz', 'home/+/agents/#')).toMatch(/overlaps/);
    expect(externalFilterProblem('home/wz', 'home/kitchen/temp')).toBeUndefined();
    expect(externalFilterProblem('wactorz', 'custom/#')).toMatch(/system topics/);
    expect(externalFilterProblem('wactorz', 'ha/state_changes/#')).toMatch(/system topics/);
    expect(externalFilterProblem('wactorz', 'a/#/b')).toMatch(/not a valid/);
    expect(externalFilterProblem('wactorz', '/leading')).toMatch(/must not start with "\/"/);
  });

  test('the loader refuses a bad filter with the option named, and accepts a list', () => {
    const load = (value: string) => loadConfig({ env: { MQTT_READ_TOPICS: value }, optionsFile: '/nonexistent/options.json' });
    expect(load('zigbee2mqtt/#, tasmota/tele/+/SENSOR').mqttReadTopics).toEqual(['zigbee2mqtt/#', 'tasmota/tele/+/SENSOR']);
    expect(loadConfig({ env: {}, optionsFile: '/nonexistent/options.json' }).mqttReadTopics).toEqual([]);
    expect(() => load('zigbee2mqtt/#,#')).toThrow(ConfigError);
    expect(() => load('wactorz/#')).toThrow(/mqtt_read_topics.*\n.*"wactorz\/#": overlaps/);
  });

  test('the bus refuses bad filters too (the last word, whatever built it)', () => {
    expect(() => new MemoryBus('wactorz', { externalReads: ['#'] })).toThrow(/Invalid external read filters/);
    expect(new MemoryBus('wactorz', { externalReads: ['zigbee2mqtt/#'] }).externalReads).toEqual(['zigbee2mqtt/#']);
  });
});

describe('what an allowed filter covers', () => {
  test('a filter is covered only when every topic it can match is', () => {
    expect(filterWithin('zigbee2mqtt/door', 'zigbee2mqtt/+')).toBe(true);
    expect(filterWithin('zigbee2mqtt/+', 'zigbee2mqtt/+')).toBe(true);
    expect(filterWithin('zigbee2mqtt/#', 'zigbee2mqtt/+')).toBe(false);
    expect(filterWithin('zigbee2mqtt/door/set', 'zigbee2mqtt/+')).toBe(false);
    expect(filterWithin('zigbee2mqtt', 'zigbee2mqtt/+')).toBe(false);
    expect(filterWithin('sensors/raw', 'sensors/raw/#')).toBe(true);
    expect(filterWithin('sensors/raw/a/b', 'sensors/raw/#')).toBe(true);
    expect(filterWithin('sensors/+/a', 'sensors/raw/#')).toBe(false);
    expect(isExternalRead([], 'zigbee2mqtt/door')).toBe(false);
    expect(isExternalRead(undefined, 'zigbee2mqtt/door')).toBe(false);
  });

  test('agents read a covered filter as it is, anything else under the root as before', () => {
    expect(subscribeFilter('wactorz', 'zigbee2mqtt/door', 'agent.subscribe', allowed)).toBe('zigbee2mqtt/door');
    expect(subscribeFilter('wactorz', 'tasmota/tele/plug1/SENSOR', 'agent.window', allowed)).toBe('tasmota/tele/plug1/SENSOR');
    expect(subscribeFilter('wactorz', 'custom/x', 'agent.subscribe', allowed)).toBe('wactorz/custom/x');
    expect(readRefusal('agent.subscribe', 'zigbee2mqtt/door', allowed)).toBeUndefined();
  });

  test('a device topic the owner did not allow is refused with the option named, not read under the root', () => {
    expect(() => subscribeFilter('wactorz', 'zigbee2mqtt/#', 'agent.subscribe', allowed)).toThrow(/not allowed in the add-on option mqtt_read_topics \(it allows only zigbee2mqtt\/\+/);
    expect(() => subscribeFilter('wactorz', 'zigbee2mqtt/door')).toThrow(/mqtt_read_topics \(it allows none\)/);
    expect(readRefusal('agent.subscribe', 'tasmota/stat/plug/POWER', allowed)).toMatch(/device topic outside Wactorz/);
    // System topics stay refused, and the refusal lists what may be read outside the root.
    expect(readRefusal('agent.subscribe', 'system/health', allowed)).toMatch(/control traffic.*zigbee2mqtt\/\+, tasmota/);
  });

  test('publishing never leaves the root: a device topic is refused, allowed or not', () => {
    expect(() => publishTarget('wactorz', 'zigbee2mqtt/door/set', self, allowed)).toThrow(/never publish outside the system root/);
    expect(() => publishTarget('wactorz', 'zigbee2mqtt/lamp/set', self)).toThrow(/never publish outside/);
    expect(() => publishTarget('wactorz', 'sensors/raw/x', self, allowed)).toThrow(/never publish outside/);
    expect(publishTarget('wactorz', 'sensors/kitchen', self).topic).toBe('wactorz/sensors/kitchen');
  });

  test('rules listen on a covered topic as it is', () => {
    expect(qualifyTopic('wactorz', 'zigbee2mqtt/door', allowed)).toBe('zigbee2mqtt/door');
    expect(qualifyTopic('wactorz', 'zigbee2mqtt/door')).toBe('wactorz/zigbee2mqtt/door');
    expect(qualifyTopic('wactorz', 'custom/triggers/x', allowed)).toBe('wactorz/custom/triggers/x');
  });

  test('the planner and main\'s build-agent prompt are told which device topics exist', () => {
    expect(externalTopicsSection([])).toBe('');
    expect(externalTopicsSection(['zigbee2mqtt/+'])).toMatch(/DEVICE TOPICS OUTSIDE WACTORZ .*zigbee2mqtt\/\+/);
  });
});
