// A rule evaluation in the assembled server reaches the panel's WebSocket as `rule.trace` (issue
// 16): the whole runtime (embedded broker, demo home, SQLite in a temp dir), a rule deployed as the
// planner deploys it, a door that closes (filtered out: no firing, no rule.status) and a client
// subscribed to `rules` that sees the evaluation, with its outcome and without the message.
import { afterEach, describe, expect, it } from 'vitest';
import type { ProposalPlan } from '../../../server/src/agents/planner/proposals/proposal.ts';
import { deployRule } from '../../../server/src/agents/planner/rules/deploy.ts';
import { SpawnConfig } from '../../../server/src/agents/spawn-config/config-schema.ts';
import type { LiveEvent } from '../../../server/src/contract/live-events.ts';
import type { Runtime } from '../../../server/src/runtime.ts';
import { eventually } from '../../helpers/eventually.ts';
import { runtimeIn } from '../../helpers/runtime.ts';
import { makeTempDir } from '../../helpers/tmp.ts';
import { connectLive, is } from '../../helpers/ws-client.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function runtime(): Promise<Runtime> {
  const dir = makeTempDir();
  cleanups.push(() => dir.cleanup());
  const rt = await runtimeIn(dir.path);
  cleanups.push(() => rt.stop());
  return rt;
}

const RULE = 'c0ffee01';

describe('rule.trace on the WebSocket', { timeout: 60_000 }, () => {
  it('announces an evaluation that did not fire, with its outcome and without the message', async () => {
    const rt = await runtime();
    const home = rt.haDemo;
    if (!home) throw new Error('the runtime did not start the demo home');
    const client = await connectLive(`${rt.address.replace('http', 'ws')}/api/ws`);
    cleanups.push(() => void client.ws.terminate());
    await client.next(is('hello'));
    client.send({ type: 'subscribe', topics: ['rules'] });
    await client.next(is('subscribed'));

    const config = SpawnConfig.parse({
      automation_id: RULE, name: 'door-light', type: 'ha_actuator', mqtt_topics: ['ha/state_changes/binary_sensor/binary_sensor.front_door'],
      detection_filter: { 'new_state.state': 'on' }, actions: [{ domain: 'light', service: 'turn_on', target: { entity_id: ['light.hallway'] } }],
    });
    const plan = { pattern: 'ha_sensor_action', title: 'Door light', summary: '', agents: [{ name: config.name, description: '', config }] } as unknown as ProposalPlan;
    const deployed = await deployRule({ ruleId: RULE, text: 'door light', plan, confirmed: true, now: Date.now() }, rt.spawner);
    if (!deployed.ok) throw new Error(deployed.error);
    await rt.planner.rules.add(deployed.rule);

    const traces = () => client.messages.flatMap((m) => (m.type === 'event' && m.event.type === 'rule.trace' && m.event.rule_id === RULE ? [m.event] : []));
    // The subscription reaches the broker asynchronously: close the door again until the rule sees it.
    await eventually(() => {
      if (traces().some((e) => e.outcome === 'filtered')) return true;
      home.setState('binary_sensor.front_door', 'off', { device_class: 'door', friendly_name: 'Front Door' });
      return false;
    }, () => `a filtered rule.trace; received ${JSON.stringify(client.messages)}`);
    const event = traces().find((e) => e.outcome === 'filtered') as Extract<LiveEvent, { type: 'rule.trace' }>;
    expect(Object.keys(event).sort()).toEqual(['at', 'outcome', 'rule_id', 'type']);
    expect(JSON.stringify(traces())).not.toContain('front_door');
    // What the event announced is already there for the panel to fetch.
    const res = await fetch(`${rt.address}/api/rules/${RULE}/traces`);
    expect(((await res.json()) as { outcome: string }[]).some((t) => t.outcome === 'filtered')).toBe(true);
  });
});
