import { afterEach, describe, expect, it } from 'vitest';
import { TopicRegistry } from '../../../../server/src/bus/topic-bus/registry.ts';
import type { Plan } from '../../../../server/src/contract/plans.ts';
import type { NodeInfo } from '../../../../server/src/contract/nodes.ts';
import type { Rule } from '../../../../server/src/contract/rules.ts';
import type { LiveEvent } from '../../../../server/src/contract/live-events.ts';
import type { PlansService, RulesService } from '../../../../server/src/contract/services.ts';
import { MainActor } from '../../../../server/src/agents/main/main-actor.ts';
import type { WebhookStats } from '../../../../server/src/interfaces/webhooks/sender.ts';
import { memoryEvents } from '../../../../server/src/services/memory.ts';
import { reply } from '../../../helpers/fake-llm/index.ts';
import { EchoAgent, harness, type Harness } from './harness.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const DISCORD = 'https://discord.com/api/webhooks/123456789012345678/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd';

async function say(text: string): Promise<string> {
  const r = await h.turn(text);
  expect(r.route, text).toBe('slash');
  return r.reply;
}

function rule(id: string): Rule {
  return {
    id, name: 'door light', description: 'Front door opens -> hallway light on', enabled: true, status: 'active',
    agents: [{ name: 'door-actuator', state: 'running' }], created_at: '2026-05-13T10:00:00.000Z', last_fired_at: null, fire_count: 2, backtest: null, error: null, cost_usd: 0.0425, cost_today_usd: 0.0031,
  };
}

function plan(id: string, status: Plan['status'] = 'pending'): Plan {
  return {
    id, conversation_id: 'c1', title: 'Door notification', summary: 'Notify the phone when the front door opens.', status, created_at: '2026-05-13T10:00:00.000Z',
    agents: [{ name: 'door-notifier', type: 'ha_actuator', description: 'notify.mobile_app_phone on door open', trigger: 'binary_sensor.front_door' }],
    validation: { ok: true, errors: [], warnings: ['sensitive: none'] }, rule_id: null, reason: null,
  };
}

describe('slash commands', () => {
  it('are answered without any LLM call, and unknown ones point to /help', async () => {
    h = await harness();
    for (const c of ['/help', '/agents', '/nodes', '/rules', '/plans', '/memory', '/webhook', '/topics', '/bus', '/cost', '/budget', '/clear', '/clear-plans']) await say(c);
    expect(await say('/frobnicate')).toBe('Unknown command /frobnicate. /help lists the commands.');
    expect(h.fake.requests).toHaveLength(0);
  });

  it('/help lists every command and explains one', async () => {
    h = await harness();
    const all = await say('/help');
    for (const c of ['/agents [filter]', '/nodes', '/rules', '/plans', '/memory', '/webhook', '/topics [filter]', '/bus', '/cost', '/budget', '/clear', '/clear-plans', '/deploy', '/deploy-pkg', '/migrate', '@agent-name']) expect(all).toContain(c);
    // Every listed line keeps two columns two spaces apart: the panel shows them as a table.
    for (const line of all.split('\n').filter((l) => l.startsWith('  '))) expect(line.trim()).toMatch(/\S {2,}\S/);
    expect(await say('/help agents')).toContain('/agents stop|pause|resume|restart|delete <name>');
    expect(await say('/help nothing')).toBe('There is no command /nothing. /help lists them.');
    expect(await say('/help a b')).toMatch(/^Name one command.\nUsage:\n {2}\/help/);
  });

  it('/agents lists actors and registered agents, filters, and runs the lifecycle verbs', async () => {
    h = await harness();
    await h.system.spawn(new MainActor(h.orch));
    await h.system.spawn(new EchoAgent({ name: 'weather-agent' }));
    h.spawner.addRemote('kitchen-cam', 'rpi-kitchen');
    const list = await say('/agents');
    expect(list).toMatch(/^Agents \(3\):/);
    expect(list).toMatch(/main +orchestrator · running · protected/);
    expect(list).toMatch(/kitchen-cam +dynamic · remote · on rpi-kitchen/);
    expect(await say('/agents weather')).toMatch(/^Agents matching "weather" \(1\):\n {2}weather-agent/);
    expect(await say('/agents zzz')).toBe('No agent matches "zzz" (3 in all).');

    expect(await say('/agents pause weather-agent')).toBe('weather-agent paused.');
    expect(h.system.get('weather-agent')?.state).toBe('paused');
    expect(await say('/agents resume weather-agent')).toBe('weather-agent resumed.');
    expect(await say('/agents resume weather-agent')).toMatch(/only a paused actor can be resumed/);
    expect(await say('/agents stop weather-agent')).toBe('weather-agent stopped.');
    expect(h.system.get('weather-agent')?.state).toBe('stopped');
    expect(await say('/agents restart weather-agent')).toMatch(/has no supervisor to restart it/);
    expect(await say('/agents stop main')).toMatch(/main is a protected system actor and cannot be stopped/);
    expect(await say('/agents delete main')).toMatch(/cannot be deleted/);
    expect(await say('/agents stop wether-agent')).toBe('There is no agent named wether-agent. Did you mean weather-agent?');
    expect(await say('/agents delete weather-agent')).toBe('weather-agent deleted.');
    expect(h.system.get('weather-agent')).toBeUndefined();
  });

  it('/agents delete removes a spawned agent from the spawn registry too', async () => {
    h = await harness();
    await h.spawner.spawn({ name: 'energy', type: 'llm', system_prompt: 'x', description: '', replace: false, publishes: [], subscribes: [], capabilities: [] }, { by: 'user' });
    expect(await say('/agents delete energy')).toBe('energy deleted: stopped and removed from the spawn registry.');
    expect(h.spawner.deleted).toEqual(['energy']);
  });

  it('/agents answers a usage line to a wrong use', async () => {
    h = await harness();
    expect(await say('/agents stop')).toBe('/agents stop needs exactly one agent name.\nUsage:\n  /agents [filter]\n  /agents stop|pause|resume|restart|delete <name>\n  /agents grant|revoke <name> <grant>  (e.g. ha:sensitive:lock.front_door)');
    expect(await say('/agents a b')).toMatch(/^Give one filter word, or a verb and a name.\nUsage:/);
  });

  it('/nodes lists remote nodes, or says there are none', async () => {
    let known: NodeInfo[] = [];
    h = await harness({ deps: { nodes: { list: async () => known } } });
    expect(await say('/nodes')).toBe('No remote nodes are known. Every agent runs in this add-on.');
    known = [{ name: 'rpi-kitchen', online: true, last_seen: '2026-05-13T10:00:00.000Z', host: '10.0.0.5', version: '0.1.0', agents: ['kitchen-cam'] }];
    expect(await say('/nodes')).toBe('Nodes (1):\n  🟢 rpi-kitchen (online, last seen 2026-05-13T10:00:00.000Z, 10.0.0.5): kitchen-cam');
    // The supervision recorded at deploy, and a node /nodes remove undeployed.
    known = [
      { ...known[0], supervision: 'systemd-user' },
      { name: 'rpi-garage', online: false, last_seen: null, host: '10.0.0.6', version: null, agents: [], supervision: null, undeployed_at: '2026-05-13T11:00:00.000Z' },
    ];
    expect(await say('/nodes')).toBe('Nodes (2):\n  🟢 rpi-kitchen (online, last seen 2026-05-13T10:00:00.000Z, 10.0.0.5, systemd --user): kitchen-cam\n  ⚪ rpi-garage (offline, 10.0.0.6, removed 2026-05-13T11:00:00.000Z): no agents');
    expect(await say('/nodes all')).toBe('Usage:\n  /nodes\n  /nodes remove <name> [--forget] [--purge]');
  });

  it('/rules lists and deletes through the RulesService, on the user’s behalf', async () => {
    let listed: Rule[] = [];
    const deletedBy: string[] = [];
    const rules: RulesService = {
      list: async () => listed,
      setEnabled: async () => undefined,
      delete: async (id, ctx) => (deletedBy.push(`${id}:${ctx.identity.userId}`), id === 'r1'),
    };
    h = await harness({ deps: { rules } });
    expect(await say('/rules')).toMatch(/^No rules yet/);
    listed = [rule('r1')];
    const list = await say('/rules');
    expect(list).toContain('[r1] door light: active, fired 2×');
    expect(list).toContain('agents: door-actuator running');
    expect(await say('/rules delete r1')).toBe('Rule r1 deleted, with its agents.');
    expect(await say('/rules delete r9')).toBe('There is no rule r9. /rules lists them.');
    expect(deletedBy).toEqual(['r1:alice', 'r9:alice']);
    expect(await say('/rules delete')).toBe('Usage:\n  /rules\n  /rules delete <id>\n  /rules trace <rule> [time]\n  /rules history <rule>\n  /rules rollback <rule> <version>');
    expect(await say('/rules remove r1')).toMatch(/^Usage:/);
  });

  it('/plans lists, shows, approves and rejects through the PlansService', async () => {
    let listed: Plan[] = [];
    const decisions: string[] = [];
    const plans: PlansService = {
      list: async () => listed,
      approve: async (id) => (decisions.push(`approve ${id}`), id === 'p1' ? { ...plan('p1', 'approved'), rule_id: 'r7' } : undefined),
      reject: async (id, reason) => (decisions.push(`reject ${id} ${reason}`), id === 'p1' ? plan('p1', 'rejected') : undefined),
      clearCache: async () => 3,
    };
    h = await harness({ deps: { plans } });
    expect(await say('/plans')).toMatch(/^No plans/);
    listed = [plan('p1'), plan('p0', 'approved')];
    expect(await say('/plans')).toBe('Plans (2, 1 pending):\n  [p1] Door notification: pending\n  [p0] Door notification: approved\nApprove with /plans approve <id>.');
    const shown = await say('/plans show p1');
    expect(shown).toContain('door-notifier (ha_actuator): notify.mobile_app_phone on door open [binary_sensor.front_door]');
    expect(shown).toContain('validation passed');
    expect(await say('/plans show p5')).toBe('There is no plan p5. /plans lists them.');
    expect(await say('/plans approve p1')).toBe('Plan p1 approved: rule r7 is running.');
    expect(await say('/plans reject p1 too noisy at night')).toBe('Plan p1 rejected.');
    expect(await say('/plans approve nope')).toBe('There is no plan nope to approve. /plans lists them.');
    expect(decisions).toEqual(['approve p1', 'reject p1 too noisy at night', 'approve nope']);
    expect(await say('/plans approve')).toMatch(/^Usage:\n {2}\/plans\n/);
    expect(await say('/plans bless p1')).toMatch(/^Usage:/);
    expect(await say('/clear-plans')).toBe('Plan cache cleared (3 cached plans).');
  });

  it('/memory shows facts with their sources, forgets one, clears all', async () => {
    const events: LiveEvent[] = [];
    h = await harness({ deps: { memoryChanges: memoryEvents((e) => events.push(e)) } });
    expect(await say('/memory')).toBe('No facts remembered yet.');
    h.orch.facts.upsert({ key: 'user_name', value: 'Alice', category: 'person', source: { kind: 'chat', userId: 'alice', conversationId: 'c1', excerpt: 'I am Alice', at: h.clock.now() } });
    h.orch.facts.upsert({ key: 'kitchen_light', value: 'light.kitchen_ceiling', category: 'entity', source: { kind: 'user', at: h.clock.now() } });
    const shown = await say('/memory');
    expect(shown).toContain('user_name: Alice');
    expect(shown).toMatch(/from chat with alice, 2026-05-13 \d\d:00: "I am Alice"/);
    expect(shown).toContain('kitchen_light: light.kitchen_ceiling\n      set by you');
    expect(await say('/memory forget user_name')).toBe('Forgot user_name.');
    expect(await say('/memory forget user_name')).toBe('No fact named user_name. /memory lists them.');
    expect(await say('/memory forget')).toMatch(/^\/memory forget needs the key of one fact/);
    expect(await say('/memory wipe')).toMatch(/^Usage:\n {2}\/memory\n/);
    expect(await say('/memory clear')).toBe("Forgot 1 fact and this conversation's history and summary.");
    expect(h.orch.facts.list()).toEqual([]);
    // The same live events as the panel's Forget and Forget all, so an open Memory view updates.
    expect(events).toEqual([
      { type: 'memory.update', key: 'user_name', removed: true },
      { type: 'memory.cleared', forgotten: 1 },
    ]);
  });

  it('/webhook saves a URL as a secret, lists it masked, refuses a wrong one, deletes it', async () => {
    h = await harness();
    expect(await say('/webhook')).toMatch(/^No webhooks saved/);
    const saved = await say(`/webhook discord ${DISCORD}`);
    expect(saved).toBe('Saved the discord webhook (https://discord.com/api/webhooks/…/abcd), posted as Discord\'s {content}. Rules and agents notify it as webhook:discord ("notify me on Discord when…").');
    expect(h.orch.webhooks.url('discord')).toBe(DISCORD);
    expect(await say('/webhook')).toBe('Webhooks:\n  discord: https://discord.com/api/webhooks/…/abcd (set with /webhook)\n      nothing sent since the start');
    expect(await say(`/webhook slack ${DISCORD}`)).toBe('That is a discord webhook URL, not a slack one; nothing was saved.');
    expect(await say('/webhook slack https://example.com/x')).toBe('That does not look like a slack webhook URL; nothing was saved. For another kind of webhook, choose a name: /webhook <name> <url>.');
    expect(await say('/webhook discord')).toMatch(/^Usage:/);
    // Any other http(s) URL is saved under a name of the owner's choosing, and so is a second Discord.
    expect(await say('/webhook teams https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=TeamsSecretSig')).toBe(
      'Saved the teams webhook (https://prod-01.westeurope.logic.azure.com/…/voke), posted as JSON {text, title, source}. Rules and agents notify it as webhook:teams ("notify me on Teams when…").',
    );
    expect(await say(`/webhook family ${DISCORD}`)).toMatch(/^Saved the family webhook \(https:\/\/discord\.com\/api\/webhooks\/…\/abcd\), posted as Discord's \{content\}/);
    expect(await say('/webhook Bad.Name https://example.com/x')).toMatch(/^"Bad\.Name" is not a webhook name: a name is lowercase letters, digits, - or _ \(at most 32\), starting with a letter\.\nUsage:/);
    expect(await say('/webhook teams ftp://example.com/x')).toBe('That is not an http(s) URL (it starts with ftp:); nothing was saved.');
    expect(await say('/webhook teams not-a-url')).toBe('That is not a URL; nothing was saved.');
    expect(await say('/webhook teams https://user:pw@example.com/x')).toBe('That URL carries a user name or password; webhooks with credentials in the URL are not supported; nothing was saved.');
    expect(h.orch.webhooks.services()).toEqual(['discord', 'family', 'teams']);
    expect(JSON.stringify(h.orch.history.get('alice', 'c1'))).not.toContain('TeamsSecretSig');
    expect(await say('/webhook delete teams')).toBe('The teams webhook is deleted.');
    expect(await say('/webhook delete family')).toBe('The family webhook is deleted.');
    expect(await say('/webhook delete no.such')).toMatch(/^"no\.such" is not a webhook name/);
    // The transcript never holds the full URL, even of the command itself.
    const transcript = JSON.stringify(h.orch.history.get('alice', 'c1'));
    expect(transcript).not.toContain('AbCdEf');
    expect(await say('/webhook delete discord')).toBe('The discord webhook is deleted.');
    expect(h.orch.webhooks.services()).toEqual([]);
  });

  it('/webhook lists what the sender counted per webhook and its last error', async () => {
    const stats: Record<string, WebhookStats> = { discord: { sent: 4, failed: 1, dropped: 2, lastError: { at: Date.UTC(2026, 4, 13, 9, 30), message: 'webhook:discord (https://discord.com/api/webhooks/…/abcd): HTTP 500' } } };
    h = await harness({ deps: { webhookStats: (name) => stats[name] } });
    await say(`/webhook discord ${DISCORD}`);
    await say('/webhook teams https://example.com/hook');
    expect(await say('/webhook')).toBe(
      [
        'Webhooks:',
        '  discord: https://discord.com/api/webhooks/…/abcd (set with /webhook)',
        '      sent 4, failed 1, dropped by the rate limit 2 since the start',
        '      last error 2026-05-13 09:30: webhook:discord (https://discord.com/api/webhooks/…/abcd): HTTP 500',
        '  teams: https://example.com/…/hook (set with /webhook)',
        '      nothing sent since the start',
      ].join('\n'),
    );
  });

  it('/topics and /bus read the topic registry', async () => {
    h = await harness();
    expect(await say('/topics')).toBe('The topic registry is not running, so no topics are known yet.');
    const registry = new TopicRegistry(h.clock);
    await h.close();
    h = await harness({ deps: { topics: registry } });
    registry.declare('temp-sensor', { publishes: ['home/kitchen/temp'], description: 'kitchen temperature' });
    registry.declare('heater', { subscribes: ['home/+/temp'] });
    registry.observe('home/kitchen/temp', { temp: 21.5 }, 'temp-sensor');
    expect(await say('/topics')).toBe('Topics (1):\n  home/kitchen/temp (1 msg)\n      from: temp-sensor  to: heater');
    expect(await say('/topics garage')).toBe('No topic matches "garage".');
    expect(await say('/topics a b')).toMatch(/^Give at most one filter word./);
    const bus = await say('/bus');
    expect(bus).toContain('TopicBus — Reactive Pub/Sub Registry');
    expect(bus).toContain('temp-sensor → heater  via home/kitchen/temp');
    expect(await say('/bus now')).toBe('Usage:\n  /bus');
  });

  it('/cost reports the ledger per agent for a period', async () => {
    h = await harness();
    expect(await say('/cost')).toBe('No LLM calls today.');
    h.script.chat = () => reply.text('hi', { usage: { input: 1000, output: 100 } });
    await h.turn('hello');
    const today = await say('/cost');
    expect(today).toMatch(/^LLM cost today: \$0\.\d+ over 2 calls \(1010 in \/ 105 out tokens\)\n {2}main: /);
    expect(await say('/cost month')).toMatch(/^LLM cost this month:/);
    expect(await say('/cost forever')).toMatch(/^Unknown period forever.\nUsage:/);
  });

  it('/cost says how much input the prompt cache served and took, when it did', async () => {
    h = await harness();
    h.script.chat = () => reply.text('hi', { usage: { input: 12_000, cachedInput: 9_800, cacheWrite: 2_100, output: 400 } });
    await h.turn('hello');
    // The classifier's 10 in / 5 out come from no cache; the totals still mention the cache.
    expect(await say('/cost')).toMatch(
      /^LLM cost today: \$0\.\d+ over 2 calls \(12,010 in, 9,800 of them read from the prompt cache, 2,100 written to it \/ 405 out tokens\)\n {2}main: /,
    );
  });

  it('/cost names cache writes alone when nothing was read back', async () => {
    h = await harness();
    h.llm.ledger.record({
      at: h.clock.now(), agent: 'main', rule: undefined, callSite: 'conversation', provider: 'anthropic', model: 'claude-sonnet-4-6',
      usage: { inputTokens: 3_000, cachedInputTokens: 0, cacheWriteTokens: 2_500, outputTokens: 50 }, costUsd: 0.0105, fallback: false,
    });
    expect(await say('/cost')).toBe(
      'LLM cost today: $0.01 over 1 call (3,000 in, 2,500 of them written to the prompt cache / 50 out tokens)\n  main: $0.01 over 1 call (3,000 in, 2,500 of them written to the prompt cache / 50 out tokens)',
    );
  });

  it('/budget shows the caps, sets one, removes one, resets', async () => {
    h = await harness();
    expect(await say('/budget')).toBe('LLM budget:\n  daily    $0.00 spent, no cap\n  weekly   $0.00 spent, no cap\n  monthly  $0.00 spent, no cap\nWhen a cap is spent, LLM calls are refused until it resets.');
    expect(await say('/budget daily 5')).toMatch(/^Daily cap set to \$5\.00\.\n/);
    expect(h.llm.budget.caps().day).toBe(5);
    expect(await say('/budget weekly $20')).toMatch(/^Weekly cap set to \$20\.00/);
    expect(await say('/budget daily off')).toMatch(/^Daily cap removed/);
    expect(h.llm.budget.caps()).toEqual({ day: null, week: 20, month: null });
    expect(await say('/budget reset')).toMatch(/^Caps are back to the configured ones/);
    expect(h.llm.budget.caps().week).toBeNull();
    expect(await say('/budget daily lots')).toMatch(/^lots is not an amount of US dollars.\nUsage:/);
    expect(await say('/budget hourly 1')).toMatch(/^Unknown period hourly/);
  });

  it('/clear forgets main’s memory of this conversation only', async () => {
    h = await harness();
    h.script.chat = (text) => `re: ${text}`;
    await h.turn('remember this');
    await h.turn('other conversation', { conversationId: 'c2' });
    expect(await say('/clear')).toBe("Cleared this conversation's history (2 messages). Remembered facts are kept; /memory clear forgets them too.");
    await h.turn('what did I say?');
    const last = h.calls('conversation').at(-1)!.body.messages as unknown[];
    expect(last).toHaveLength(1);
    expect(h.orch.conversations.messageCount('alice/c2')).toBe(2);
    expect(await say('/clear all')).toBe('Usage:\n  /clear');
  });

  it('/clear-plans says when the planner keeps no cache', async () => {
    h = await harness();
    expect(await say('/clear-plans')).toBe('Plan cache cleared (0 cached plans).');
    await h.close();
    h = await harness({ deps: { plans: { list: async () => [], approve: async () => undefined, reject: async () => undefined } } });
    expect(await say('/clear-plans')).toBe('The planner keeps no plan cache.');
    expect(await say('/clear-plans now')).toBe('Usage:\n  /clear-plans');
  });

  it('/deploy, /deploy-pkg and /migrate check their arguments; without remote nodes plugged in they say so', async () => {
    h = await harness();
    expect(await say('/deploy rpi-kitchen 10.0.0.5 pi mqtt://10.0.0.2:1883')).toMatch(/^\/deploy is not available: remote nodes are not set up/);
    expect(await say('/deploy-pkg 10.0.0.5 numpy')).toMatch(/^Packages cannot be installed for sandboxed agents \(asked for: numpy\)/);
    expect(await say('/migrate kitchen-cam rpi-garage')).toMatch(/^\/migrate is not available: remote nodes are not set up/);
    expect(await say('/deploy')).toBe('Usage:\n  /deploy <node-name> <host> <ssh-user> <broker-url> [confirm <SHA256:fingerprint>]');
    expect(await say('/deploy-pkg host')).toBe('Usage:\n  /deploy-pkg <host> <package...>');
    expect(await say('/migrate kitchen-cam')).toBe('Usage:\n  /migrate <agent> <node>');
  });
});
