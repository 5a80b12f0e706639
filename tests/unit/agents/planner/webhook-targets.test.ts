// Rules that notify a saved webhook ("notify me on Slack"): the planner lists the saved webhooks
// as `webhook:<name>` targets beside HA's notify services and the chat targets, accepts a
// notify.chat_channel action to one of them, and refuses an unknown name with the saved ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unknownReferences } from '../../../../server/src/agents/ha/service-calls.ts';
import { discover } from '../../../../server/src/agents/planner/pipeline/discovery.ts';
import { checkFeasibility } from '../../../../server/src/agents/planner/pipeline/feasibility.ts';
import { snapshotHome } from '../../../../server/src/agents/planner/pipeline/home.ts';
import { pipelineSystem } from '../../../../server/src/agents/planner/pipeline/pipeline-prompt.ts';
import { validatePlan } from '../../../../server/src/agents/planner/validation/validate-plan.ts';
import { parseWebhookTarget } from '../../../../server/src/agents/ha/service-calls.ts';
import { webhookTargets } from '../../../../server/src/interfaces/webhooks/targets.ts';
import { demoHa, type DemoHa } from './demo-ha.ts';
import { chatChannelAction, doorNotifyPlan } from './test-plan.ts';

let d: DemoHa;
beforeAll(async () => {
  d = await demoHa();
});
afterAll(async () => {
  await d.close();
});

const HOOKS = webhookTargets({ names: () => ['discord', 'slack'] });
const TARGETS = ['telegram:123456789', ...HOOKS];

const notifyAction = chatChannelAction;
const plan = (action: Record<string, unknown>) => doorNotifyPlan(action, 'door-slack-actuator');

const errorsOf = async (action: Record<string, unknown>, targets: readonly string[] = TARGETS) =>
  (await validatePlan(plan(action), { home: snapshotHome(d.ha, targets), ha: d.ha })).errors.map((e) => e.message);

describe('saved webhooks as notify targets in the planner', () => {
  it('are webhook:<name> targets', () => {
    expect(HOOKS).toEqual(['webhook:discord', 'webhook:slack']);
    expect(parseWebhookTarget(' Webhook:Slack ')).toBe('slack');
    expect(parseWebhookTarget('telegram:1')).toBeUndefined();
  });

  it('are offered in the prompt on their own line, apart from the chat targets', () => {
    const prompt = pipelineSystem(discover(snapshotHome(d.ha, TARGETS)));
    expect(prompt).toMatch(/NOTIFY SERVICES: .*notify\.mobile_app_phone/);
    expect(prompt).toContain("CHAT TARGETS (the user's Telegram, Discord or WhatsApp, through notify.chat_channel): telegram:123456789\n");
    expect(prompt).toContain('WEBHOOKS (saved by the user; "on Slack/Discord" means the one of that name; through notify.chat_channel): webhook:discord, webhook:slack');
    expect(prompt).toContain('"target":"<chat target or webhook:name>"');
    expect(pipelineSystem(discover(snapshotHome(d.ha)))).not.toContain('WEBHOOKS');
  });

  it('make "notify me on Slack" feasible in a home without HA notify services or chat channels', () => {
    const noNotify = { ...snapshotHome(d.ha), services: new Map([...snapshotHome(d.ha).services].filter(([domain]) => domain !== 'notify')) };
    expect(checkFeasibility('notify me on Slack when the front door opens', noNotify).ok).toBe(false);
    expect(checkFeasibility('notify me on Slack when the front door opens', { ...noNotify, chatTargets: HOOKS }).ok).toBe(true);
    expect(pipelineSystem(discover({ ...noNotify, chatTargets: HOOKS }))).toContain('NOTIFY SERVICES: (none: use a webhook)');
  });

  it('a saved webhook validates; an unknown one is an error naming the saved ones', async () => {
    expect(await errorsOf(notifyAction('webhook:slack'))).toEqual([]);
    expect(await errorsOf(notifyAction('webhook:Discord'))).toEqual([]);
    expect(await errorsOf(notifyAction('webhook:teams'))).toEqual(['notifies webhook:teams, but no webhook named "teams" is saved; the saved webhooks are webhook:discord, webhook:slack']);
    expect(await errorsOf(notifyAction('webhook:slack'), ['telegram:1'])).toEqual([
      'notifies webhook:slack, but no webhook named "slack" is saved; no webhook is saved (the user saves one with /webhook <service> <url>)',
    ]);
    expect(await errorsOf(notifyAction('webhook:'))).toEqual(['notifies webhook: without a name; the saved webhooks are webhook:discord, webhook:slack']);
    // An unknown chat target names the webhooks too.
    expect(await errorsOf(notifyAction('telegram:999'))).toEqual([
      'notifies telegram:999, which is not a configured chat target; the chat targets are telegram:123456789; the saved webhooks are webhook:discord, webhook:slack',
    ]);
  });

  it('is not an unknown HA service when a rule agent is spawned', () => {
    expect(unknownReferences(d.ha, [notifyAction('webhook:slack')])).toEqual([]);
  });
});
