// What Home Assistant sees: the discovery config and state of each entity, built from the API's
// own views (Agent, Rule, Budget) as plain data. Pure: the publisher diffs and sends these, and
// the unit tests check them as HA would read them.
import type { Agent } from '../../contract/agents.ts';
import type { Budget } from '../../contract/cost.ts';
import type { Rule } from '../../contract/rules.ts';
import { AgentState } from '../../contract/agents.ts';
import { underRoot } from '../../bus/topics.ts';
import { configTopic, nodePrefix, rel, slugOf, type Component } from './topics.ts';
import { VERSION } from '../../version.ts';

export interface DiscoveryContext {
  /** HA's discovery prefix (`homeassistant`). */
  prefix: string;
  /** Wactorz's topic root (`wactorz`). */
  root: string;
  /** The server's availability topic (its last will). */
  availabilityTopic: string;
  /** Whether HA may send commands (switches and buttons exist only then). */
  commands: boolean;
}

/** One entity: its retained discovery config. */
export interface EntityConfig {
  topic: string;
  config: Record<string, unknown>;
}

/** A device's entities and the one retained state message they all read. */
export interface DeviceEntities {
  entities: EntityConfig[];
  stateTopic: string;
  state: Record<string, unknown>;
}

const ORIGIN = { name: 'Wactorz', sw_version: VERSION, support_url: 'https://github.com/waldiez/wactorz-homeassistant' };

function serverDevice(ctx: DiscoveryContext) {
  const node = nodePrefix(ctx.root);
  return { identifiers: [`${node}_server`], name: 'Wactorz', manufacturer: 'Waldiez', model: 'Wactorz server', sw_version: VERSION };
}

function common(ctx: DiscoveryContext, device: Record<string, unknown>, uniqueId: string, entityId: string, name: string, stateTopic: string) {
  return {
    name,
    unique_id: uniqueId,
    // A stable entity id whatever the user renames the device to (and what tests look up).
    default_entity_id: entityId,
    device,
    origin: ORIGIN,
    state_topic: stateTopic,
    availability: [{ topic: ctx.availabilityTopic, value_template: '{{ value_json.state }}' }],
  };
}

function entity(ctx: DiscoveryContext, component: Component, node: string, object: string, config: Record<string, unknown>): EntityConfig {
  return { topic: configTopic(ctx.prefix, component, node, object), config };
}

export function agentEntities(ctx: DiscoveryContext, agent: Agent): DeviceEntities {
  const slug = slugOf(agent.name);
  const node = `${nodePrefix(ctx.root)}_agent_${slug}`;
  const id = (object: string) => `${node}_${object}`;
  const device = { identifiers: [node], name: `Wactorz agent ${agent.name}`, model: agent.type, manufacturer: 'Waldiez', via_device: `${nodePrefix(ctx.root)}_server` };
  const stateTopic = underRoot(ctx.root, rel.agentState(slug));
  const base = (object: string, name: string, component: Component) => common(ctx, device, id(object), `${component}.${id(object)}`, name, stateTopic);
  const entities: EntityConfig[] = [
    entity(ctx, 'sensor', node, 'status', { ...base('status', 'Status', 'sensor'), device_class: 'enum', options: AgentState.options, value_template: '{{ value_json.state }}', icon: 'mdi:robot' }),
    // HA allows only state_class `total` with device_class `monetary` (anything else is logged as
    // impossible); the value is the agent's whole spend, never reset.
    entity(ctx, 'sensor', node, 'cost', { ...base('cost', 'Cost', 'sensor'), device_class: 'monetary', state_class: 'total', unit_of_measurement: 'USD', suggested_display_precision: 4, value_template: '{{ value_json.cost_usd }}' }),
    // Errors of the running instance: a restart starts again from 0, which total_increasing reads as a reset.
    entity(ctx, 'sensor', node, 'errors', { ...base('errors', 'Errors', 'sensor'), state_class: 'total_increasing', entity_category: 'diagnostic', icon: 'mdi:alert-circle-outline', value_template: '{{ value_json.errors }}' }),
  ];
  // Protected actors (main, monitor, the HA agents) cannot be paused, and HA may not restart them
  // either (trust.ts): they get no controls at all.
  if (ctx.commands && !agent.protected) {
    entities.push(
      entity(ctx, 'button', node, 'restart', { ...base('restart', 'Restart', 'button'), state_topic: undefined, device_class: 'restart', command_topic: underRoot(ctx.root, rel.agentRestart(slug)), payload_press: 'PRESS' }),
      entity(ctx, 'switch', node, 'paused', { ...base('paused', 'Paused', 'switch'), icon: 'mdi:pause-circle-outline', command_topic: underRoot(ctx.root, rel.agentPause(slug)), value_template: '{{ value_json.paused }}', payload_on: 'ON', payload_off: 'OFF' }),
    );
  }
  for (const e of entities) if (e.config.state_topic === undefined) delete e.config.state_topic;
  return { entities, stateTopic, state: { state: agent.state, cost_usd: agent.cost_usd, errors: agent.errors, paused: agent.state === 'paused' ? 'ON' : 'OFF' } };
}

export function ruleEntities(ctx: DiscoveryContext, rule: Rule): DeviceEntities {
  const slug = slugOf(rule.id);
  const node = `${nodePrefix(ctx.root)}_rule_${slug}`;
  const id = (object: string) => `${node}_${object}`;
  const device = { identifiers: [node], name: `Wactorz rule ${rule.name}`, model: 'Rule', manufacturer: 'Waldiez', via_device: `${nodePrefix(ctx.root)}_server` };
  const stateTopic = underRoot(ctx.root, rel.ruleState(slug));
  const base = (object: string, name: string, component: Component) => common(ctx, device, id(object), `${component}.${id(object)}`, name, stateTopic);
  const enabled = { ...base('enabled', 'Enabled', 'switch'), icon: 'mdi:robot-outline', value_template: '{{ value_json.enabled }}', payload_on: 'ON', payload_off: 'OFF' };
  const entities: EntityConfig[] = [
    // Without commands the switch becomes a read-only sensor of the same state (HA has no read-only switch).
    ctx.commands
      ? entity(ctx, 'switch', node, 'enabled', { ...enabled, command_topic: underRoot(ctx.root, rel.ruleSet(slug)) })
      : entity(ctx, 'sensor', node, 'enabled', { ...base('enabled', 'Enabled', 'sensor'), device_class: 'enum', options: ['ON', 'OFF'], value_template: '{{ value_json.enabled }}' }),
    entity(ctx, 'sensor', node, 'last_fired', { ...base('last_fired', 'Last fired', 'sensor'), device_class: 'timestamp', value_template: '{{ value_json.last_fired_at }}' }),
  ];
  return { entities, stateTopic, state: { enabled: rule.enabled ? 'ON' : 'OFF', status: rule.status, last_fired_at: rule.last_fired_at, fire_count: rule.fire_count } };
}

export function budgetEntities(ctx: DiscoveryContext, budget: Budget): DeviceEntities {
  const node = `${nodePrefix(ctx.root)}_server`;
  const device = serverDevice(ctx);
  const stateTopic = underRoot(ctx.root, rel.budgetState());
  const base = (object: string, name: string) => common(ctx, device, `${node}_${object}`, `sensor.${node}_${object}`, name, stateTopic);
  const entities: EntityConfig[] = [
    entity(ctx, 'sensor', node, 'spent_today', { ...base('spent_today', 'LLM spend today'), device_class: 'monetary', state_class: 'total', unit_of_measurement: 'USD', suggested_display_precision: 4, value_template: '{{ value_json.spent_today_usd }}' }),
    // No cap is `None`, which HA shows as unknown rather than a number.
    entity(ctx, 'sensor', node, 'daily_cap', { ...base('daily_cap', 'LLM daily cap'), device_class: 'monetary', unit_of_measurement: 'USD', value_template: '{{ value_json.daily_cap_usd }}' }),
  ];
  return { entities, stateTopic, state: { spent_today_usd: budget.spent.day, daily_cap_usd: budget.daily_usd, exhausted: budget.exhausted } };
}
