// In-memory implementations of the HTTP service interfaces for API and panel tests. They behave
// as the real ones are specified to: commands change state and publish live events, approving a
// plan creates a rule, chat streams a scripted answer. Chat can be held after its first delta so
// a test can see a half-streamed answer before releasing the rest.
import type { LiveHub } from '../../server/src/http/live-hub.ts';
import type { Agent, AgentDetail } from '../../server/src/contract/agents.ts';
import type { ChatEvent, ChatMessage, Conversation, RouteKind } from '../../server/src/contract/chat.ts';
import type { Budget, CostReport } from '../../server/src/contract/cost.ts';
import type { HaMap } from '../../server/src/contract/ha-map.ts';
import type { MemoryFact } from '../../server/src/contract/memory.ts';
import type { NodeInfo } from '../../server/src/contract/nodes.ts';
import type { Plan } from '../../server/src/contract/plans.ts';
import type { Rule, RuleTrace } from '../../server/src/contract/rules.ts';
import type { TopicInfo } from '../../server/src/contract/topics.ts';
import { ServiceError } from '../../server/src/contract/service-error.ts';
import type { RequestContext, Services } from '../../server/src/contract/services.ts';
import { fakeAgentGrants } from './fake-grants.ts';
import { fakeRecipes } from './fake-recipes.ts';
import { fakeAgents, fakeBudget, fakeCost, fakeHaMap, fakeMemory, fakeNodes, fakeRules, fakeTopics, iso } from './fake-data.ts';

export interface FakeState {
  agents: Map<string, AgentDetail>;
  rules: Rule[];
  plans: Plan[];
  memory: MemoryFact[];
  cost: CostReport;
  budget: Budget;
  topics: TopicInfo[];
  nodes: NodeInfo[];
  /** The owner's grants per spawned agent (fake-grants.ts). */
  grants: Map<string, string[]>;
  haMap: HaMap | undefined;
  conversations: Map<string, Conversation>;
  /** Every call that acted on someone's behalf, for assertions about identity. */
  calls: { what: string; ctx: RequestContext }[];
}

export interface FakeServices {
  services: Services;
  state: FakeState;
  /** While true, each chat turn waits after its first delta until release() is called. */
  hold: boolean;
  release(): void;
}

function agentOf(d: AgentDetail): Agent {
  const { recent_logs: _logs, ...agent } = d;
  return agent;
}

/** The scripted LLM: what the orchestrator answers to a message. */
export function chatScript(text: string, conversationId: string, planId: string): ChatEvent[] {
  const words = (s: string) => s.split(/(?<= )/).map((w): ChatEvent => ({ type: 'delta', text: w }));
  const done = (reply: string, route: RouteKind): ChatEvent => ({ type: 'done', turnId: `t-${planId}`, conversationId, reply, agent: 'main', route });
  if (/notify|when/i.test(text)) {
    const plan: Plan = {
      id: planId,
      conversation_id: conversationId,
      title: 'Front door notification',
      summary: 'Send a push notification to your phone when the front door opens.',
      status: 'pending',
      created_at: iso(0),
      agents: [{ name: 'front-door-notifier', type: 'rule', description: 'Notifies mobile_app_phone when binary_sensor.front_door turns on', trigger: 'state of binary_sensor.front_door' }],
      validation: { ok: true, errors: [], warnings: ['Notifications are sent at most once a minute'] },
      rule_id: null,
      reason: null,
    };
    const reply = 'I can set that up. **Approve** the proposal below to create the rule.';
    return [...words(reply), { type: 'proposal', plan }, done(reply, 'pipeline')];
  }
  if (text === '@catalog list') {
    // The agent's result is the answer: the tool event carries the same text (issue 17, item 1).
    const reply = '**Recipes** (2):\n- `weather-fetcher`: the forecast\n- `energy-tracker`: daily use';
    return [{ type: 'tool', name: 'agent.task', ok: true, text: reply, agent: 'catalog' }, ...words(reply), done(reply, 'mention')];
  }
  if (text === '/help') {
    const reply = ['Commands (answered without the LLM):', '  /help              list the commands, or explain one', '  /agents [filter]   the running agents', '', 'Talking to agents:', '  @agent-name message   send the message straight to that agent'].join('\n');
    return [...words(reply), done(reply, 'slash')];
  }
  if (text.startsWith('echo:')) {
    const reply = text.slice(5).trim();
    return [...words(reply), done(reply, 'other')];
  }
  if (/turn (on|off)/i.test(text)) {
    const reply = 'Done: the living room light is **on**.';
    return [
      { type: 'tool', name: 'ha.call_service', ok: true, text: 'light.turn_on light.living_room', agent: 'main', entityIds: ['light.living_room'] },
      ...words(reply),
      done(reply, 'actuate'),
    ];
  }
  const reply = 'The **living room** is at 21.5 °C.\n\n- humidity: 45%\n- window: closed';
  return [...words(reply), done(reply, 'other')];
}

export function createFakeServices(hub: LiveHub): FakeServices {
  const state: FakeState = {
    agents: new Map(fakeAgents().map((a) => [a.name, a])),
    rules: fakeRules(),
    plans: [],
    memory: fakeMemory(),
    cost: fakeCost(),
    budget: fakeBudget(),
    topics: fakeTopics(),
    nodes: fakeNodes(),
    grants: new Map([['energy-tracker', ['ha:sensitive:cover.garage_door']]]),
    haMap: fakeHaMap(),
    conversations: new Map(),
    calls: [],
  };
  const waiters: (() => void)[] = [];
  const fake: FakeServices = {
    state,
    hold: false,
    release: () => waiters.splice(0).forEach((w) => w()),
    services: undefined as unknown as Services,
  };
  const record = (what: string, ctx: RequestContext) => state.calls.push({ what, ctx });

  const remember = (id: string, msg: ChatMessage) => {
    const c = state.conversations.get(id) ?? { id, title: msg.text.slice(0, 40), agent: 'main', updated_at: msg.at, message_count: 0, messages: [] };
    c.messages.push(msg);
    c.message_count = c.messages.length;
    c.updated_at = msg.at;
    state.conversations.set(id, c);
  };

  fake.services = {
    chat: {
      async *process(text, ctx) {
        record('chat', ctx);
        remember(ctx.conversationId, { role: 'user', text, at: iso(0), agent: null, plan: null });
        const events = chatScript(text, ctx.conversationId, `plan-${state.plans.length + 1}`);
        let first = true;
        for (const ev of events) {
          if (ev.type === 'proposal') state.plans.push(ev.plan);
          if (ev.type === 'done') remember(ctx.conversationId, { role: 'assistant', text: ev.reply, at: iso(0), agent: ev.agent, plan: null });
          yield ev;
          if (ev.type === 'delta' && first && fake.hold) {
            first = false;
            await new Promise<void>((resolve) => waiters.push(resolve));
          }
        }
      },
      conversations: async () => [...state.conversations.values()].map(({ messages: _m, ...summary }) => summary),
      conversation: async (id) => state.conversations.get(id),
    },
    agents: {
      list: async () => [...state.agents.values()].map(agentOf),
      get: async (name) => state.agents.get(name),
      async command(name, command, ctx) {
        record(`agent.${command}`, ctx);
        const a = state.agents.get(name);
        if (!a) return undefined;
        a.state = command === 'stop' ? 'stopped' : command === 'pause' ? 'paused' : 'running';
        hub.publish({ type: 'agent.state', agent: name, state: a.state });
        return agentOf(a);
      },
      async delete(name, ctx) {
        record('agent.delete', ctx);
        const a = state.agents.get(name);
        if (!a) return false;
        if (a.protected) throw new ServiceError('forbidden', `${name} is part of the system and cannot be deleted`);
        state.agents.delete(name);
        hub.publish({ type: 'agent.removed', agent: name });
        return true;
      },
    },
    rules: {
      list: async () => state.rules,
      async setEnabled(id, enabled, ctx) {
        record(enabled ? 'rule.enable' : 'rule.disable', ctx);
        const r = state.rules.find((x) => x.id === id);
        if (!r) return undefined;
        r.enabled = enabled;
        r.status = enabled ? 'active' : 'disabled';
        hub.publish({ type: 'rule.status', rule_id: id, status: r.status, enabled, last_fired_at: r.last_fired_at });
        return r;
      },
      async delete(id, ctx) {
        record('rule.delete', ctx);
        const before = state.rules.length;
        state.rules = state.rules.filter((r) => r.id !== id);
        if (state.rules.length === before) return false;
        hub.publish({ type: 'rule.removed', rule_id: id });
        return true;
      },
      async traces(id, q) {
        if (!state.rules.some((r) => r.id === id)) return undefined;
        return fakeRuleTraces(id).filter((t) => (q.from === undefined || Date.parse(t.at) >= q.from) && (q.to === undefined || Date.parse(t.at) <= q.to)).slice(0, q.limit);
      },
    },
    plans: {
      list: async () => state.plans,
      async approve(id, ctx) {
        record('plan.approve', ctx);
        const p = state.plans.find((x) => x.id === id);
        if (!p) return undefined;
        if (p.status !== 'pending') throw new ServiceError('conflict', `The plan is already ${p.status}`);
        const rule: Rule = {
          id: `rule-${state.rules.length + 1}`,
          name: p.title,
          description: p.summary,
          enabled: true,
          status: 'active',
          agents: p.agents.map((a) => ({ name: a.name, state: 'running' as const })),
          created_at: iso(0),
          last_fired_at: null,
          fire_count: 0,
          backtest: { ran_at: iso(0), window_hours: 24, would_have_fired: 3, summary: 'Would have fired 3 times in the last 24 h' },
          error: null,
          cost_usd: 0,
          cost_today_usd: 0,
        };
        state.rules.push(rule);
        Object.assign(p, { status: 'approved', rule_id: rule.id });
        hub.publish({ type: 'plan.update', plan: p });
        hub.publish({ type: 'rule.status', rule_id: rule.id, status: 'active', enabled: true, last_fired_at: null });
        return p;
      },
      async reject(id, reason, ctx) {
        record('plan.reject', ctx);
        const p = state.plans.find((x) => x.id === id);
        if (!p) return undefined;
        Object.assign(p, { status: 'rejected', reason: reason ?? null });
        hub.publish({ type: 'plan.update', plan: p });
        return p;
      },
    },
    memory: {
      list: async () => state.memory,
      async forget(key, ctx) {
        record('memory.forget', ctx);
        const before = state.memory.length;
        state.memory = state.memory.filter((m) => m.key !== key);
        return state.memory.length < before;
      },
      async clear(ctx) {
        record('memory.clear', ctx);
        const forgotten = state.memory.length;
        state.memory = [];
        hub.publish({ type: 'memory.cleared', forgotten });
        return forgotten;
      },
    },
    agentGrants: fakeAgentGrants(state),
    recipes: fakeRecipes(state, hub, record),
    cost: { report: async (period) => ({ ...state.cost, period }) },
    budget: {
      get: async () => state.budget,
      async update(patch, ctx) {
        record('budget.update', ctx);
        state.budget = { ...state.budget, ...patch };
        return state.budget;
      },
    },
    topics: { list: async () => state.topics },
    nodes: { list: async () => state.nodes },
    haMap: { snapshot: async () => state.haMap },
  };
  return fake;
}

/** Two evaluations of a rule, newest first: one that acted, one filtered out. */
function fakeRuleTraces(ruleId: string): RuleTrace[] {
  const base = { rule_id: ruleId, agent: 'front-door-notify', kind: 'trigger' as const, duration_ms: 4, topic: 'wactorz/ha/state_changes/binary_sensor/binary_sensor.front_door' };
  return [
    { ...base, id: 2, at: '2026-05-13T10:42:10.000Z', message: 'binary_sensor.front_door: "off" -> "on"', outcome: 'acted', steps: [{ kind: 'filter', label: 'new_state.state', ok: true, detail: '"on", wanted "on"' }, { kind: 'action', label: 'notify.mobile_app_phone', ok: true, detail: 'HA answered ok' }] },
    { ...base, id: 1, at: '2026-05-13T10:40:00.000Z', message: 'binary_sensor.front_door: "on" -> "off"', outcome: 'filtered', steps: [{ kind: 'filter', label: 'new_state.state', ok: false, detail: '"off", wanted "on"' }] },
  ];
}
