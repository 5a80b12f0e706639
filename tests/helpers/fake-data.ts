// The demo-like content the fake services start with: a few agents (one with a stale heartbeat,
// one failed), a rule, memory facts, a week of cost, topics with wiring, two nodes and an HA map.
import type { AgentDetail } from '../../server/src/contract/agents.ts';
import type { Budget, CostPoint, CostReport } from '../../server/src/contract/cost.ts';
import type { HaMap } from '../../server/src/contract/ha-map.ts';
import type { MemoryFact } from '../../server/src/contract/memory.ts';
import type { NodeInfo } from '../../server/src/contract/nodes.ts';
import type { Rule } from '../../server/src/contract/rules.ts';
import type { TopicInfo } from '../../server/src/contract/topics.ts';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

/** A time relative to now: heartbeat ages in the panel are computed against the real clock. */
export function iso(offsetMs: number): string {
  return new Date(Date.now() + offsetMs).toISOString();
}

export function fakeAgents(): AgentDetail[] {
  const base = { recent_logs: [], protected: false, node: 'local', errors: 0, started_at: iso(-3 * DAY), problem: null };
  return [
    { ...base, id: 'a-main', name: 'main', type: 'orchestrator', state: 'running', description: 'Answers chat and plans', last_heartbeat: iso(-5_000), cost_usd: 0.42, messages_processed: 120, protected: true },
    {
      ...base, id: 'a-energy', name: 'energy-tracker', type: 'dynamic', state: 'running', description: 'Tracks energy use per hour', last_heartbeat: iso(-8_000), cost_usd: 0.03, messages_processed: 3400,
      recent_logs: [{ at: iso(-60_000), level: 'info', message: 'hourly total 0.42 kWh' }],
    },
    { ...base, id: 'a-garden', name: 'garden-watcher', type: 'dynamic', state: 'running', node: 'pi-garden', description: 'Watches soil moisture', last_heartbeat: iso(-10 * MIN), cost_usd: 0, messages_processed: 80 },
    { ...base, id: 'a-broken', name: 'camera-counter', type: 'dynamic', state: 'failed', description: 'Counts people at the door', last_heartbeat: iso(-2 * DAY), cost_usd: 0.11, messages_processed: 12, errors: 4 },
  ];
}

export function fakeRules(): Rule[] {
  return [
    {
      id: 'rule-1', name: 'Lights off at midnight', description: 'Turns off every light at 00:00', enabled: true, status: 'active',
      agents: [{ name: 'midnight-lights', state: 'running' }], created_at: iso(-3 * DAY), last_fired_at: iso(-14 * 60 * MIN), fire_count: 3,
      backtest: { ran_at: iso(-3 * DAY), window_hours: 168, would_have_fired: 7, summary: 'Would have fired 7 times in the last week' }, error: null, cost_usd: 0.0123, cost_today_usd: 0.002,
    },
  ];
}

export function fakeMemory(): MemoryFact[] {
  return [
    { key: 'user.phone', value: 'mobile_app_pixel', source: 'chat', origin: 'chat', category: 'entity', created_at: iso(-DAY), updated_at: iso(-DAY) },
    { key: 'home.bedtime', value: '23:00', source: 'agent energy-tracker', origin: 'user', category: 'preference', created_at: iso(-2 * DAY), updated_at: iso(-DAY) },
  ];
}

export function fakeCost(): CostReport {
  const points: CostPoint[] = [];
  const start = Date.UTC(2026, 0, 1);
  for (let d = 0; d < 7; d++) {
    const t = new Date(start + d * DAY).toISOString();
    points.push({ t, provider: 'anthropic', agent: 'main', usd: 0.05 + d * 0.01, tokens_in: 9000, tokens_out: 1200 });
    points.push({ t, provider: 'openai', agent: 'energy-tracker', usd: 0.01 * (d % 3), tokens_in: 2000, tokens_out: 300 });
  }
  const sum = (f: (p: CostPoint) => string) => {
    const m = new Map<string, number>();
    for (const p of points) m.set(f(p), (m.get(f(p)) ?? 0) + p.usd);
    return [...m].map(([key, usd]) => ({ key, usd }));
  };
  return {
    period: 'week', from: new Date(start).toISOString(), to: new Date(start + 7 * DAY).toISOString(),
    total_usd: points.reduce((s, p) => s + p.usd, 0), points, by_provider: sum((p) => p.provider), by_agent: sum((p) => p.agent),
    prompt_cache: { read_tokens: 9800, write_tokens: 2100, saved_usd: 0.0286 },
  };
}

export function fakeBudget(): Budget {
  return { daily_usd: 1, weekly_usd: 5, monthly_usd: null, spent: { day: 0.4, week: 1.2, month: 3.1 }, fallback: 'ollama:llama3.2', exhausted: false };
}

export function fakeTopics(): TopicInfo[] {
  return [
    {
      topic: 'wactorz/custom/detections/door', description: 'A person detected at the door', contract: { type: 'object', properties: { count: { type: 'integer' } } },
      observed_schema: { type: 'object', properties: { count: { type: 'integer' }, ts: { type: 'number' } } }, publishers: ['camera-counter'], subscribers: ['main', 'front-door-notifier'],
      message_count: 42, last_seen: iso(-MIN),
    },
    { topic: 'wactorz/custom/triggers/energy', description: null, contract: null, observed_schema: { type: 'object' }, publishers: ['energy-tracker'], subscribers: ['main'], message_count: 7, last_seen: null },
  ];
}

export function fakeNodes(): NodeInfo[] {
  return [
    { name: 'local', online: true, last_seen: iso(-1_000), host: 'homeassistant', version: '0.1.0', agents: ['main', 'energy-tracker', 'camera-counter'] },
    { name: 'pi-garden', online: false, last_seen: iso(-DAY), host: '192.168.1.40', version: '0.1.0', agents: ['garden-watcher'], supervision: 'none', undeployed_at: null },
  ];
}

export function fakeHaMap(): HaMap {
  return {
    generated_at: iso(0),
    areas: [{ id: 'living_room', name: 'Living room' }],
    entities: [{ entity_id: 'light.living_room', area_id: 'living_room', state: 'off' }],
  };
}
