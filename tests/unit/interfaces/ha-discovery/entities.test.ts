// The discovery configs as Home Assistant reads them: device classes, units, state classes, the
// availability topic, and controls only where HA may use them.
import { describe, expect, it } from 'vitest';
import { agentEntities, budgetEntities, ruleEntities, type DiscoveryContext } from '../../../../server/src/interfaces/ha-discovery/entities.ts';
import { parseCommandTopic, slugOf } from '../../../../server/src/interfaces/ha-discovery/topics.ts';
import { agent, budget, rule } from './fixtures.ts';

const ctx: DiscoveryContext = { prefix: 'homeassistant', root: 'wactorz', availabilityTopic: 'wactorz/system/availability', commands: true };
const byObject = (d: ReturnType<typeof agentEntities>) => new Map(d.entities.map((e) => [e.topic.split('/')[3], e]));

describe('agent entities', () => {
  it('a device with status, cost, errors, restart and pause, all on the server availability', () => {
    const d = agentEntities(ctx, agent('porch-watcher'));
    const e = byObject(d);
    expect([...e.keys()].sort()).toEqual(['cost', 'errors', 'paused', 'restart', 'status']);
    expect(e.get('cost')?.topic).toBe('homeassistant/sensor/wactorz_agent_porch-watcher/cost/config');
    expect(e.get('cost')?.config).toMatchObject({ device_class: 'monetary', state_class: 'total', unit_of_measurement: 'USD', state_topic: 'wactorz/ha-discovery/agents/porch-watcher/state', unique_id: 'wactorz_agent_porch-watcher_cost' });
    expect(e.get('status')?.config).toMatchObject({ device_class: 'enum', options: ['created', 'running', 'paused', 'stopped', 'failed'] });
    expect(e.get('errors')?.config).toMatchObject({ state_class: 'total_increasing' });
    expect(e.get('restart')?.topic).toBe('homeassistant/button/wactorz_agent_porch-watcher/restart/config');
    expect(e.get('restart')?.config).toMatchObject({ device_class: 'restart', command_topic: 'wactorz/ha-discovery/agents/porch-watcher/restart/press', payload_press: 'PRESS' });
    expect(e.get('restart')?.config).not.toHaveProperty('state_topic');
    expect(e.get('paused')?.config).toMatchObject({ command_topic: 'wactorz/ha-discovery/agents/porch-watcher/pause/set', payload_on: 'ON', payload_off: 'OFF' });
    for (const x of e.values()) {
      expect(x.config.availability).toEqual([{ topic: 'wactorz/system/availability', value_template: '{{ value_json.state }}' }]);
      expect(x.config.device).toMatchObject({ identifiers: ['wactorz_agent_porch-watcher'], via_device: 'wactorz_server' });
    }
    expect(d.state).toEqual({ state: 'running', cost_usd: 0.0123, errors: 1, paused: 'OFF' });
    expect(agentEntities(ctx, agent('x', { state: 'paused' })).state.paused).toBe('ON');
  });

  it('a protected agent and a commands-off server get sensors only', () => {
    expect([...byObject(agentEntities(ctx, agent('main', { protected: true }))).keys()].sort()).toEqual(['cost', 'errors', 'status']);
    expect([...byObject(agentEntities({ ...ctx, commands: false }, agent('a'))).keys()].sort()).toEqual(['cost', 'errors', 'status']);
  });

  it('names that are not valid ids get a slug that cannot collide', () => {
    expect(slugOf('porch-watcher')).toBe('porch-watcher');
    expect(slugOf('Porch Watcher')).toMatch(/^porch_watcher_[0-9a-f]{6}$/);
    expect(slugOf('porch watcher')).not.toBe(slugOf('porch/watcher'));
    expect(agentEntities(ctx, agent('a/b#c')).entities.every((e) => e.topic.split('/').length === 5)).toBe(true);
  });
});

describe('rule entities', () => {
  it('a switch and a last-fired timestamp', () => {
    const d = ruleEntities(ctx, rule('3fa2c1d0', { last_fired_at: '2026-12-06T10:00:00.000Z' }));
    const e = byObject(d);
    expect(e.get('enabled')?.topic).toBe('homeassistant/switch/wactorz_rule_3fa2c1d0/enabled/config');
    expect(e.get('enabled')?.config).toMatchObject({ command_topic: 'wactorz/ha-discovery/rules/3fa2c1d0/set', value_template: '{{ value_json.enabled }}' });
    expect(e.get('last_fired')?.config).toMatchObject({ device_class: 'timestamp' });
    expect(d.state).toMatchObject({ enabled: 'ON', last_fired_at: '2026-12-06T10:00:00.000Z' });
  });

  it('without commands the state is a read-only sensor', () => {
    const e = ruleEntities({ ...ctx, commands: false }, rule('r1')).entities;
    expect(e.map((x) => x.topic.split('/')[1]).sort()).toEqual(['sensor', 'sensor']);
    expect(e.some((x) => 'command_topic' in x.config)).toBe(false);
  });
});

describe('budget entities', () => {
  it('spend today and the daily cap in USD on the server device', () => {
    const d = budgetEntities(ctx, budget);
    const e = new Map(d.entities.map((x) => [x.topic, x.config]));
    expect(e.get('homeassistant/sensor/wactorz_server/spent_today/config')).toMatchObject({ device_class: 'monetary', state_class: 'total', unit_of_measurement: 'USD' });
    expect(e.get('homeassistant/sensor/wactorz_server/daily_cap/config')).toMatchObject({ device_class: 'monetary', unit_of_measurement: 'USD' });
    expect(d.state).toMatchObject({ spent_today_usd: 0.5, daily_cap_usd: 2 });
  });
});

describe('command topics', () => {
  it('only the three command shapes parse; state topics and other roots do not', () => {
    expect(parseCommandTopic('wactorz', 'wactorz/ha-discovery/rules/r1/set')).toEqual({ kind: 'rule', slug: 'r1' });
    expect(parseCommandTopic('wactorz', 'wactorz/ha-discovery/agents/a/pause/set')).toEqual({ kind: 'agent-pause', slug: 'a' });
    expect(parseCommandTopic('wactorz', 'wactorz/ha-discovery/agents/a/restart/press')).toEqual({ kind: 'agent-restart', slug: 'a' });
    expect(parseCommandTopic('wactorz', 'wactorz/ha-discovery/agents/a/state')).toBeUndefined();
    expect(parseCommandTopic('wactorz', 'wactorz/ha-discovery/agents/a/delete/press')).toBeUndefined();
    expect(parseCommandTopic('wactorz', 'other/ha-discovery/rules/r1/set')).toBeUndefined();
  });
});
