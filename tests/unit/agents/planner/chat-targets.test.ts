// Rules that notify a chat channel (issue 18): the planner shows the configured chat targets beside
// HA's notify services, accepts a notify.chat_channel action to one of them, and refuses any other
// target with a message naming the ones there are. The rule agents deliver such an action to the
// channel instead of calling HA.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../server/src/core/clock.ts';
import { chatTargetOf, runActions, unknownReferences } from '../../../../server/src/agents/ha/service-calls.ts';
import { discover } from '../../../../server/src/agents/planner/pipeline/discovery.ts';
import { checkFeasibility } from '../../../../server/src/agents/planner/pipeline/feasibility.ts';
import { snapshotHome } from '../../../../server/src/agents/planner/pipeline/home.ts';
import { pipelineSystem } from '../../../../server/src/agents/planner/pipeline/pipeline-prompt.ts';
import { validatePlan } from '../../../../server/src/agents/planner/validation/validate-plan.ts';
import { chatTargets } from '../../../../server/src/interfaces/channels/targets.ts';
import { demoHa, type DemoHa } from './demo-ha.ts';
import { chatChannelAction, doorNotifyPlan } from './test-plan.ts';

let d: DemoHa;
beforeAll(async () => {
  d = await demoHa();
});
afterAll(async () => {
  await d.close();
});

const TARGETS = chatTargets({
  telegram: { token: 't', allowedUsers: ['123456789'], apiRoot: undefined },
  discord: undefined,
  whatsapp: { accessToken: 'a', phoneNumberId: '1', appSecret: 's', verifyToken: 'v', allowedNumbers: ['31612345678'], apiRoot: 'https://graph.facebook.com/v23.0' },
});

const chatAction = chatChannelAction;
const plan = (action: Record<string, unknown>) => doorNotifyPlan(action);

const errorsOf = async (action: Record<string, unknown>, targets: readonly string[] = TARGETS) =>
  (await validatePlan(plan(action), { home: snapshotHome(d.ha, targets), ha: d.ha })).errors.map((e) => e.message);

describe('chat channel targets in the planner', () => {
  it('are the allow lists of the configured channels', () => {
    expect(TARGETS).toEqual(['telegram:123456789', 'whatsapp:31612345678']);
  });

  it('are offered in the prompt beside the notify services, with the action to use', () => {
    const prompt = pipelineSystem(discover(snapshotHome(d.ha, TARGETS)));
    expect(prompt).toMatch(/NOTIFY SERVICES: .*notify\.mobile_app_phone/);
    expect(prompt).toContain('CHAT TARGETS (the user\'s Telegram, Discord or WhatsApp, through notify.chat_channel): telegram:123456789, whatsapp:31612345678');
    expect(prompt).toContain('{"domain":"notify","service":"chat_channel","service_data":{"target":"<chat target or webhook:name>"');
    expect(pipelineSystem(discover(snapshotHome(d.ha)))).not.toContain('CHAT TARGETS');
  });

  it('make "message me" feasible in a home without HA notify services', () => {
    const noNotify = { ...snapshotHome(d.ha), services: new Map([...snapshotHome(d.ha).services].filter(([domain]) => domain !== 'notify')) };
    expect(checkFeasibility('message me when the front door opens', noNotify).ok).toBe(false);
    expect(checkFeasibility('message me when the front door opens', { ...noNotify, chatTargets: TARGETS }).ok).toBe(true);
  });

  it('a configured target validates (a WhatsApp number however written); an unknown one is an error naming the real ones', async () => {
    expect(await errorsOf(chatAction('telegram:123456789'))).toEqual([]);
    expect(await errorsOf(chatAction('whatsapp:+31 6 1234 5678'))).toEqual([]);
    expect(await errorsOf(chatAction('telegram:999'))).toEqual(['notifies telegram:999, which is not a configured chat target; the chat targets are telegram:123456789, whatsapp:31612345678']);
    expect(await errorsOf(chatAction('discord:42'), [])).toEqual(['notifies discord:42, which is not a configured chat target; no chat channel (Telegram, Discord, WhatsApp) is set up in the add-on options']);
    expect(await errorsOf({ domain: 'notify', service: 'chat_channel', service_data: { message: 'x' } })).toEqual([
      'calls notify.chat_channel without service_data.target; the chat targets are telegram:123456789, whatsapp:31612345678',
    ]);
  });
});

describe('notify.chat_channel in a rule agent', () => {
  const clock = new ManualClock();

  it('goes to the chat channel, not to Home Assistant, and a refusal stops the run with its reason', async () => {
    const sent: string[] = [];
    const chat = async (target: string, title: string | undefined, message: string) => {
      if (target === 'whatsapp:1') throw new Error('1 is not an allowed WhatsApp number');
      sent.push(`${target}|${title ?? ''}|${message}`);
    };
    const light = { domain: 'light', service: 'turn_on', service_data: {}, target: { entity_id: ['light.hallway'] } };
    const before = d.home.serviceCalls().length;
    const ok = await runActions(d.ha, [chatAction('telegram:123456789'), light], { clock, chat });
    expect(ok.map((o) => [o.service, o.entity_id, o.status])).toEqual([
      ['notify.chat_channel', 'telegram:123456789', 'ok'],
      ['light.turn_on', 'light.hallway', 'ok'],
    ]);
    expect(sent).toEqual(['telegram:123456789|Home|Front door opened']);
    expect(d.home.serviceCalls().slice(before).map((c) => `${c.domain}.${c.service}`)).toEqual(['light.turn_on']);

    const refused = await runActions(d.ha, [chatAction('whatsapp:1'), light], { clock, chat });
    expect(refused.map((o) => [o.status, o.error])).toEqual([
      ['error', '1 is not an allowed WhatsApp number'],
      ['not_run', undefined],
    ]);
    expect((await runActions(d.ha, [chatAction('telegram:1')], { clock }))[0]).toMatchObject({ status: 'error', error: 'Chat channels are not available here' });
  });

  it('is not an unknown HA service at spawn, but must name a target and a message', () => {
    expect(chatTargetOf(chatAction('telegram:1'))).toBe('telegram:1');
    expect(unknownReferences(d.ha, [chatAction('telegram:1')])).toEqual([]);
    expect(unknownReferences(d.ha, [{ domain: 'notify', service: 'chat_channel', service_data: {} }])).toEqual([
      'notify.chat_channel needs service_data.target (telegram:<id>, discord:<id>, whatsapp:<number> or webhook:<name>) and service_data.message',
    ]);
  });
});
