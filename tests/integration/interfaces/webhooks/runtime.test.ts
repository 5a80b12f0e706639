// Saved webhooks inside the real runtime (embedded broker, SQLite, the demo home, the fake LLM),
// with a local server standing in for Slack and Discord (the runtime's fetchImpl sends their
// hosts there): "notify me on Slack" is planned with the saved webhook offered, an unknown one
// refused by validation and re-planned, and the approved rule posts Slack's body when the door
// opens; a sandboxed agent's agent.notify to webhook:discord posts Discord's.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../server/src/config/load.ts';
import { startRuntime, type Runtime } from '../../../../server/src/runtime.ts';
import { eventually } from '../../../helpers/eventually.ts';
import { FAKE_KEYS, reply, startFakeLlm, type FakeLlmServer } from '../../../helpers/fake-llm/index.ts';
import { startFakeWebhooks, type FakeWebhooks } from '../../../helpers/fake-webhooks.ts';
import { quietLogger } from '../../../helpers/ha.ts';
import { makeTempDir } from '../../../helpers/tmp.ts';
import { byKind, systemOf, userOf } from '../../../unit/agents/planner/llm-script.ts';

const SLACK = 'https://hooks.slack.com/services/T000/B000/runtimeSlackSecret1';
const DISCORD = 'https://discord.com/api/webhooks/123456789/runtimeDiscordSecret2';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function boot(): Promise<{ rt: Runtime; hooks: FakeWebhooks; llm: FakeLlmServer }> {
  const dir = makeTempDir();
  cleanups.push(() => dir.cleanup());
  const hooks = await startFakeWebhooks();
  cleanups.push(() => hooks.close());
  const llm = await startFakeLlm({ respond: () => reply.text('unused') });
  cleanups.push(() => llm.close());
  const env = { WACTORZ_DEMO: 'true', LLM_PROVIDER: 'anthropic', ANTHROPIC_API_KEY: FAKE_KEYS.anthropic, ANTHROPIC_BASE_URL: llm.anthropicBaseUrl };
  const config = { ...loadConfig({ env, argv: ['--data-dir', dir.path, '--mqtt-embedded-port', '0'], optionsFile: join(dir.path, 'none.json') }), port: 0 };
  const rt = await startRuntime({ config, logger: quietLogger(), panelDir: '/nonexistent', fetchImpl: hooks.fetchImpl });
  cleanups.push(() => rt.stop());
  return { rt, hooks, llm };
}

const slackPlan = (target: string) => ({
  feasible: true,
  pattern: 'ha_sensor_notification',
  title: 'Front door on Slack',
  summary: 'Posts to Slack when the front door opens',
  agents: [
    {
      name: 'front-door-slack-actuator',
      description: 'notifies Slack',
      spawn_config: {
        type: 'ha_actuator',
        name: 'front-door-slack-actuator',
        mqtt_topics: ['ha/state_changes/binary_sensor/binary_sensor.front_door'],
        detection_filter: { 'new_state.state': 'on' },
        cooldown_seconds: 0,
        actions: [{ domain: 'notify', service: 'chat_channel', service_data: { target, title: 'Home', message: 'The front door opened' } }],
      },
    },
  ],
  trigger: null,
});

async function flipDoorUntil(rt: Runtime, done: () => boolean, what: string): Promise<void> {
  // The state bridge subscribes asynchronously: flip the door until the rule has heard it.
  await eventually(() => {
    if (!done()) rt.haDemo?.setState('binary_sensor.front_door', rt.haDemo.getState('binary_sensor.front_door')?.state === 'on' ? 'off' : 'on');
    return done();
  }, what);
}

describe('saved webhooks on the real runtime', () => {
  it('a rule notifying webhook:slack posts to the saved Slack webhook when it fires', async () => {
    const { rt, hooks } = await boot();
    rt.orchestrator.webhooks.save('slack', SLACK, 'command');
    const rule = {
      type: 'ha_actuator',
      name: 'front-door-slack',
      mqtt_topics: ['ha/state_changes/binary_sensor/binary_sensor.front_door'],
      detection_filter: { 'new_state.state': 'on' },
      cooldown_seconds: 0,
      actions: [{ domain: 'notify', service: 'chat_channel', service_data: { target: 'webhook:slack', title: 'Home', message: 'The front door opened' } }],
    };
    expect(await rt.spawner.spawn(rule as never, { by: 'planner', ruleId: 'rule-slack' })).toMatchObject({ status: 'spawned' });
    await flipDoorUntil(rt, () => hooks.received.length > 0, 'the notification at the fake Slack');
    expect(hooks.received[0]).toMatchObject({ method: 'POST', path: '/hooks.slack.com/services/T000/B000/runtimeSlackSecret1' });
    expect(JSON.parse(hooks.received[0].body)).toEqual({ text: 'Home\nThe front door opened' });
  }, 60_000);

  it('"notify me on Slack": the planner offers the saved webhook, refuses an unknown one, and the approved rule posts to Slack', async () => {
    const { rt, hooks, llm } = await boot();
    rt.orchestrator.webhooks.save('slack', SLACK, 'command');
    let n = 0;
    const script = byKind({ pipeline: () => reply.text(JSON.stringify(slackPlan(n++ === 0 ? 'webhook:teams' : 'webhook:slack'))) });
    llm.respond(script.fn);
    const ctx = { conversationId: 'c1', userId: 'alex' };
    const p = await rt.planner.planner.handle({ text: 'notify me on Slack when the front door opens', mode: 'pipeline', ...ctx });
    if (p.kind !== 'proposal') throw new Error(`expected a proposal: ${p.text}`);
    const asked = script.calls.filter((c) => c.kind === 'pipeline').map((c) => c.request);
    expect(asked).toHaveLength(2);
    expect(systemOf(asked[0])).toMatch(/WEBHOOKS \(saved by the user;[^)]*through notify\.chat_channel\): webhook:slack\\n/);
    expect(systemOf(asked[0])).not.toContain('runtimeSlackSecret1');
    expect(userOf(asked[1])).toContain('no webhook named \\"teams\\" is saved; the saved webhooks are webhook:slack');

    expect(await rt.planner.plans.approve(p.proposal.id)).toMatchObject({ kind: 'rule' });
    await flipDoorUntil(rt, () => hooks.received.length > 0, 'the notification at the fake Slack');
    expect(JSON.parse(hooks.received[0].body)).toEqual({ text: 'Home\nThe front door opened' });
  }, 60_000);

  it('agent.notify reaches webhook:discord and a webhook saved under a chosen name (a Teams workflow)', async () => {
    const { rt, hooks } = await boot();
    rt.orchestrator.webhooks.save('discord', DISCORD, 'command');
    const teams = `${hooks.origin}/workflows/abc/triggers/manual/paths/invoke?sig=runtimeTeamsSig3`;
    let answer = '';
    for await (const e of rt.orchestrator.process(`/webhook teams ${teams}`, { user: { id: 'alex', name: 'Alex' }, channel: 'panel', conversationId: 'c1' })) if (e.type === 'done') answer = e.reply;
    expect(answer).toMatch(/^Saved the teams webhook \(http:\/\/127\.0\.0\.1:\d+\/…\/voke\), posted as JSON/);
    expect(rt.orchestrator.webhooks.url('teams')).toBe(teams);
    const code = [
      'async function setup(agent) {',
      "  await agent.notify('Battery low', { title: 'Sensors', target: 'webhook:discord' });",
      "  await agent.notify('Battery low', { title: 'Sensors', target: 'webhook:teams' });",
      '}',
    ].join('\n');
    expect(await rt.spawner.spawn({ type: 'dynamic', name: 'battery-watch', code } as never, { by: 'user' } as never)).toMatchObject({ status: 'spawned' });
    await eventually(() => hooks.received.length === 2, 'the notifications at the fake Discord and Teams');
    expect(hooks.received[0].path).toBe('/discord.com/api/webhooks/123456789/runtimeDiscordSecret2');
    expect(JSON.parse(hooks.received[0].body)).toEqual({ content: 'Sensors\nBattery low', allowed_mentions: { parse: [] } });
    expect(hooks.received[1].path).toBe('/workflows/abc/triggers/manual/paths/invoke?sig=runtimeTeamsSig3');
    expect(JSON.parse(hooks.received[1].body)).toEqual({ text: 'Battery low', title: 'Sensors', source: 'wactorz' });
  }, 60_000);
});
