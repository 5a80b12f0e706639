// The agent lifecycle and Home Assistant tools of the MCP server, for both transports (called by
// exercise.ts): stop/pause/resume a spawned agent while protected ones refuse; entities and states
// from the live cache; service calls through the chat's device-control path, with sensitive targets
// (the demo home's lock and garage door) refused before anything reaches HA.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { expect } from 'vitest';
import type { Runtime } from '../../../server/src/runtime.ts';
import { call, textOf } from './exercise.ts';

export async function exerciseAgentLifecycle(client: Client, agent: string): Promise<void> {
  const paused = await call(client, 'pause_agent', { agent });
  expect(paused.isError, textOf(paused)).toBeFalsy();
  expect(paused.structuredContent?.agent).toMatchObject({ name: agent, state: 'paused' });
  const pausedAgain = await call(client, 'pause_agent', { agent });
  expect(pausedAgain.isError).toBe(true);
  expect(textOf(pausedAgain)).toContain('only a running actor can be paused');
  const resumed = await call(client, 'resume_agent', { agent });
  expect(resumed.structuredContent?.agent).toMatchObject({ name: agent, state: 'running' });
  const stopped = await call(client, 'stop_agent', { agent });
  expect(stopped.isError, textOf(stopped)).toBeFalsy();
  expect(stopped.structuredContent?.agent).toMatchObject({ name: agent, state: 'stopped' });

  // Protected system agents refuse, as the panel's buttons do; an unknown name is told so.
  for (const [tool, name] of [['stop_agent', 'main'], ['pause_agent', 'main'], ['stop_agent', 'catalog'], ['pause_agent', 'monitor']] as const) {
    const r = await call(client, tool, { agent: name });
    expect(r.isError, `${tool} ${name}`).toBe(true);
    expect(textOf(r)).toContain('is a protected system actor');
  }
  const unknown = await call(client, 'stop_agent', { agent: 'no-such-agent' });
  expect(unknown.isError).toBe(true);
  expect(textOf(unknown)).toContain('There is no agent "no-such-agent"');
  expect((await call(client, 'stop_agent', { agent: 'no such/agent' })).isError).toBe(true);
}

export async function exerciseHome(client: Client, runtime: Runtime): Promise<void> {
  const demo = runtime.haDemo;
  if (!demo) throw new Error('the MCP tests run against the demo home');

  const lights = await call(client, 'ha_list_entities', { domain: 'light', area: 'Kitchen' });
  expect(lights.isError, textOf(lights)).toBeFalsy();
  expect(lights.structuredContent).toMatchObject({ total: 1, truncated: false, entities: [{ entity_id: 'light.kitchen', name: 'Kitchen Light', state: expect.any(String) as unknown, area: 'Kitchen' }] });
  const byName = await call(client, 'ha_list_entities', { name: 'front door', limit: 1 });
  expect(byName.structuredContent).toMatchObject({ truncated: true, entities: [expect.objectContaining({ area: 'Hallway' })] });
  expect((await call(client, 'ha_list_entities', { domain: 'no_such_domain' })).structuredContent).toMatchObject({ total: 0, entities: [] });

  const lock = await call(client, 'ha_get_state', { entity_id: 'lock.front_door' });
  expect(lock.structuredContent).toMatchObject({ entity_id: 'lock.front_door', state: 'locked', attributes: { friendly_name: 'Front Door Lock' }, last_changed: expect.any(String) as unknown });
  const noEntity = await call(client, 'ha_get_state', { entity_id: 'light.nowhere' });
  expect(noEntity.isError).toBe(true);
  expect(textOf(noEntity)).toContain('Home Assistant has no entity "light.nowhere"');

  // A light: through the one-off actuator, recorded by the (demo) Home Assistant.
  demo.clearRecords();
  const on = await call(client, 'ha_call_service', { domain: 'light', service: 'turn_on', entity_id: 'light.kitchen', service_data: { brightness_pct: 40 } });
  expect(on.isError, textOf(on)).toBeFalsy();
  expect(on.structuredContent).toMatchObject({ status: 'done', outcomes: [{ service: 'light.turn_on', entity_id: 'light.kitchen', status: 'ok' }] });
  expect(demo.serviceCalls()).toEqual([expect.objectContaining({ domain: 'light', service: 'turn_on', entityIds: ['light.kitchen'], data: { brightness_pct: 40 } })]);
  expect(demo.getState('light.kitchen')?.state).toBe('on');

  // Unknown entities and services: nothing runs.
  demo.clearRecords();
  const unknown = await call(client, 'ha_call_service', { domain: 'light', service: 'turn_on', entity_id: ['light.kitchen', 'light.nowhere'] });
  expect(unknown.isError).toBe(true);
  expect(textOf(unknown)).toContain('Home Assistant has no entity light.nowhere');
  const badService = await call(client, 'ha_call_service', { domain: 'light', service: 'explode', entity_id: 'light.kitchen' });
  expect(badService.isError).toBe(true);
  expect(textOf(badService)).toContain('Home Assistant has no service light.explode');

  // Sensitive targets need a person's "yes", which an MCP client cannot give: refused, nothing runs,
  // also when reached through a generic service.
  for (const [domain, service, entity] of [['lock', 'unlock', 'lock.front_door'], ['cover', 'open_cover', 'cover.garage_door'], ['homeassistant', 'turn_off', 'lock.front_door']] as const) {
    const r = await call(client, 'ha_call_service', { domain, service, entity_id: entity });
    expect(r.isError, `${domain}.${service}`).toBe(true);
    expect(textOf(r)).toContain(`${entity} is security-sensitive`);
    expect(textOf(r)).toContain('Nothing was done');
  }
  expect(demo.serviceCalls()).toEqual([]);
  expect(demo.getState('lock.front_door')?.state).toBe('locked');
  expect(demo.getState('cover.garage_door')?.state).toBe('closed');

  for (const args of [{ domain: 'Light', service: 'turn_on' }, { domain: 'light', service: 'turn_on', entity_id: 'kitchen' }, { entity_id: 'light.kitchen' }]) {
    const r = await call(client, 'ha_call_service', args);
    expect(r.isError, JSON.stringify(args)).toBe(true);
    expect(textOf(r)).toContain('Input validation error');
  }
}
