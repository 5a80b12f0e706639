// The pieces of rule versions: the diff between two versions (per agent, per field), which rule a
// chat message names, and the version store with the migration that gives existing rules v1.
import { afterEach, describe, expect, it } from 'vitest';
import type { ProposalPlan, ProposedAgent } from '../../../../server/src/agents/planner/proposals/proposal.ts';
import { diffPlans, formatDiff, summarizeDiff } from '../../../../server/src/agents/planner/rules/rule-diff.ts';
import { findRuleRef, looksLikeEdit } from '../../../../server/src/agents/planner/rules/rule-ref.ts';
import type { Rule } from '../../../../server/src/agents/planner/rules/rule.ts';
import { RuleVersionStore } from '../../../../server/src/agents/planner/rules/version-store.ts';
import { validateSpawnConfig } from '../../../../server/src/agents/spawn-config/validate.ts';
import type { SpawnConfig } from '../../../../server/src/agents/spawn-config/config-schema.ts';
import { openDatabase, type Db } from '../../../../server/src/store/database.ts';
import { MIGRATIONS } from '../../../../server/src/store/migrations/index.ts';
import { makeTempDir } from '../../../helpers/tmp.ts';

function config(raw: Record<string, unknown>): SpawnConfig {
  const v = validateSpawnConfig(raw);
  if (!v.ok) throw new Error(v.error);
  return v.config;
}

const actuator = (over: Record<string, unknown> = {}): ProposedAgent => ({
  description: 'Hallway light on motion',
  config: config({ type: 'ha_actuator', name: 'hall-light', mqtt_topics: ['ha/state_changes/binary_sensor/binary_sensor.hallway_motion'], detection_filter: { 'new_state.state': 'on' }, cooldown_seconds: 600, actions: [{ domain: 'light', service: 'turn_on', target: { entity_id: ['light.hallway'] } }], ...over }),
});
const scheduled = (at: string): ProposedAgent => ({ description: 'Nightly', config: config({ type: 'scheduled', name: 'night-off', schedule: { kind: 'daily', at }, publish_topic: 'schedule/night-off/fired', actions: [{ domain: 'light', service: 'turn_off', target: { entity_id: ['light.hallway'] } }] }) });
const plan = (agents: ProposedAgent[], title = 'Hallway light'): ProposalPlan => ({ pattern: 'ha_sensor_action', title, summary: '', agents });

describe('diffPlans', () => {
  it('names each changed field of an agent as a person reads it', () => {
    const before = plan([actuator()]);
    const after = plan([actuator({ cooldown_seconds: 1800, detection_filter: { 'new_state.state': 'on', 'old_state.state': 'off' }, conditions: [{ entity_id: 'sun.sun', attribute: 'state', operator: 'eq', value: 'below_horizon' }], actions: [{ domain: 'light', service: 'turn_on', target: { entity_id: ['light.kitchen'] } }] })]);
    expect(diffPlans(before, after)).toEqual([
      { agent: 'hall-light', change: 'changed', field: 'filter', before: 'new_state.state = "on"', after: 'new_state.state = "on" and old_state.state = "off"' },
      { agent: 'hall-light', change: 'added', field: 'conditions', before: null, after: 'sun.sun eq "below_horizon"' },
      { agent: 'hall-light', change: 'changed', field: 'actions', before: 'light.turn_on light.hallway', after: 'light.turn_on light.kitchen' },
      { agent: 'hall-light', change: 'changed', field: 'cooldown', before: '600 s (10 min)', after: '1800 s (30 min)' },
    ]);
  });

  it('lists agents added and removed, a trigger and schedule changed, the title, and nothing for the same plan', () => {
    const before = plan([actuator(), scheduled('23:00')]);
    expect(diffPlans(before, structuredClone(before))).toEqual([]);
    const other = { description: 'Door', config: config({ type: 'ha_actuator', name: 'door-light', mqtt_topics: ['ha/state_changes/binary_sensor/binary_sensor.front_door'], actions: [{ domain: 'light', service: 'turn_on', target: { entity_id: ['light.hallway'] } }] }) };
    const after = plan([actuator({ mqtt_topics: ['ha/state_changes/binary_sensor/binary_sensor.front_door'] }), { ...scheduled('22:30') }, other], 'Hallway and door');
    const diff = diffPlans(before, after);
    expect(diff).toEqual([
      { agent: null, change: 'changed', field: 'title', before: 'Hallway light', after: 'Hallway and door' },
      { agent: 'hall-light', change: 'changed', field: 'trigger', before: 'ha/state_changes/binary_sensor/binary_sensor.hallway_motion', after: 'ha/state_changes/binary_sensor/binary_sensor.front_door' },
      { agent: 'night-off', change: 'changed', field: 'schedule', before: 'every day at 23:00', after: 'every day at 22:30' },
      { agent: 'door-light', change: 'added', field: null, before: null, after: expect.stringMatching(/^ha_actuator: on ha\/state_changes\/binary_sensor\/binary_sensor.front_door: light.turn_on light.hallway/) as unknown as string },
    ]);
    const dropped = diffPlans(before, plan([actuator()]));
    expect(dropped).toMatchObject([{ agent: 'night-off', change: 'removed', field: null, after: null }]);
    expect(formatDiff(dropped)[0]).toMatch(/^ {2}− night-off \(removed\) — scheduled: every day at 23:00/);
    expect(summarizeDiff(diff)).toHaveLength(240);
    expect(summarizeDiff(diff).endsWith('…')).toBe(true);
    expect(summarizeDiff(diff, 1000)).toBe('rule title Hallway light → Hallway and door; hall-light trigger ha/state_changes/binary_sensor/binary_sensor.hallway_motion → ha/state_changes/binary_sensor/binary_sensor.front_door; night-off schedule every day at 23:00 → every day at 22:30; + door-light');
  });

  it('takes one agent removed and one added of the same type for a rename', () => {
    const renamed = { ...actuator({ name: 'hallway-light', cooldown_seconds: 60 }) };
    expect(diffPlans(plan([actuator()]), plan([renamed]))).toEqual([
      { agent: 'hallway-light', change: 'changed', field: 'name', before: 'hall-light', after: 'hallway-light' },
      { agent: 'hallway-light', change: 'changed', field: 'cooldown', before: '600 s (10 min)', after: '60 s (1 min)' },
    ]);
  });
});

describe('findRuleRef', () => {
  const rule = (id: string, title: string, text = title): Rule => ({ id, title, text, pattern: 'ha_sensor_action', proposalId: undefined, agents: [], enabled: true, createdAt: 0, updatedAt: 0, lastFiredAt: undefined, fireCount: 0, backtest: undefined });
  const rules = [rule('3fa2c1d0', 'Porch light at sunset'), rule('9b8c7d6e', 'Garage door alert', 'notify me when the garage door opens'), rule('1a2b3c4d', 'Porch camera person')];

  it('finds a rule by id, by a piece of its title or request, and forgives a typo', () => {
    expect(findRuleRef('change rule 9b8c7d6e to 30 minutes', rules)).toMatchObject({ kind: 'one', rule: { id: '9b8c7d6e' } });
    expect(findRuleRef('make the garage rule only after sunset', rules)).toMatchObject({ kind: 'one', rule: { id: '9b8c7d6e' } });
    expect(findRuleRef('make the porch light rule quieter', rules)).toMatchObject({ kind: 'one', rule: { id: '3fa2c1d0' } });
    expect(findRuleRef('make the garaje rule quieter', rules)).toMatchObject({ kind: 'one', rule: { id: '9b8c7d6e' } });
    // A determiner inside the sentence does not swallow words before the name.
    expect(findRuleRef('use the same delay as the garage rule', rules)).toMatchObject({ kind: 'one', rule: { id: '9b8c7d6e' } });
  });

  it('tells an unknown name, a name that fits two rules, two rules, "the rule", and no rule apart', () => {
    expect(findRuleRef('make the kitchen rule quieter', rules)).toEqual({ kind: 'unknown', name: 'kitchen' });
    expect(findRuleRef('make the porch rule quieter', rules)).toMatchObject({ kind: 'several', name: 'porch', rules: [{ id: '3fa2c1d0' }, { id: '1a2b3c4d' }] });
    expect(findRuleRef('make the garage and porch light rules quieter', rules)).toMatchObject({ kind: 'several', rules: [{ id: '9b8c7d6e' }, { id: '3fa2c1d0' }] });
    expect(findRuleRef('set the rule to 30 minutes', rules)).toEqual({ kind: 'unnamed' });
    expect(findRuleRef('use 30 minutes instead of 10', rules)).toEqual({ kind: 'none' });
    // "automation" may be one of Home Assistant's own: it counts only when it fits a rule.
    expect(findRuleRef('set the kitchen automation to 7 am', rules)).toEqual({ kind: 'none' });
    expect(findRuleRef('set the automation to 7 am', rules)).toEqual({ kind: 'none' });
    expect(findRuleRef('make the garage automation quieter', rules)).toMatchObject({ kind: 'one', rule: { id: '9b8c7d6e' } });
  });

  it('takes changes for edits, not new rules or questions', () => {
    for (const t of ['make the porch rule only after sunset', 'use 30 minutes instead of 10', 'change rule 3fa2c1d0 to 9 pm']) expect(looksLikeEdit(t), t).toBe(true);
    for (const t of ['turn on the porch light at sunset', 'why did the porch rule fire?', 'notify me when the garage opens']) expect(looksLikeEdit(t), t).toBe(false);
  });
});

describe('RuleVersionStore and migration 604', () => {
  let dir: ReturnType<typeof makeTempDir> | undefined;
  let db: Db | undefined;
  afterEach(() => {
    db?.close();
    dir?.cleanup();
    db = undefined;
  });

  it('gives every existing rule its version 1 from what the rules store holds, approved by whoever asked for it', () => {
    dir = makeTempDir('wactorz-versions-');
    const old = openDatabase({ dataDir: dir.path, migrations: MIGRATIONS.filter((m) => m.version < 604) });
    const agents = JSON.stringify({ pattern: 'ha_sensor_action', agents: [actuator()] });
    old.prepare(`INSERT INTO planner_proposals (id, conversation_id, requested_by, request, status, plan, validation, created_at, updated_at, expires_at, rule_id) VALUES ('p1', 'c1', 'alex', 'light on motion', 'approved', '{}', '{}', 1, 1, 2, 'r1')`).run();
    old.prepare(`INSERT INTO planner_rules (id, text, title, proposal_id, agents, created_at, updated_at) VALUES ('r1', 'light on motion', 'Hallway light', 'p1', ?, 1000, 1000)`).run(agents);
    old.prepare(`INSERT INTO planner_rules (id, text, title, proposal_id, agents, created_at, updated_at) VALUES ('r2', 'old rule', 'Old', NULL, ?, 2000, 2000)`).run(JSON.stringify({ agents: [scheduled('23:00')] }));
    old.close();

    db = openDatabase({ dataDir: dir.path });
    const store = new RuleVersionStore(db);
    expect(store.list('r1')).toEqual([{ ruleId: 'r1', version: 1, plan: { pattern: 'ha_sensor_action', title: 'Hallway light', summary: '', agents: [JSON.parse(JSON.stringify(actuator()))] }, text: 'light on motion', source: 'created', request: 'light on motion', summary: 'created', diff: [], proposalId: 'p1', approvedBy: 'alex', approvedAt: 1000, backtest: undefined }]);
    const r2 = store.current('r2');
    expect(r2).toMatchObject({ version: 1, approvedBy: undefined, plan: { title: 'Old', agents: [{ config: { name: 'night-off' } }] } });
    expect(r2?.plan).not.toHaveProperty('pattern');
    // Proposals gained the edit column: an old row reads without one.
    expect(db.prepare(`SELECT edit FROM planner_proposals WHERE id = 'p1'`).get()).toEqual({ edit: null });
  });

  it('keeps every version, newest first, refuses a second version with the same number, and forgets a rule\'s versions', () => {
    dir = makeTempDir('wactorz-versions-');
    db = openDatabase({ dataDir: dir.path });
    const store = new RuleVersionStore(db);
    const v = (version: number) => ({ ruleId: 'r1', version, plan: plan([actuator({ cooldown_seconds: version * 60 })]), text: 't', source: 'edit' as const, request: `edit ${version}`, summary: 's', diff: [], proposalId: undefined, approvedBy: 'alex', approvedAt: version, backtest: undefined });
    for (let i = 1; i <= 30; i++) store.insert(v(i));
    expect(store.list('r1')).toHaveLength(30);
    expect(store.current('r1')?.version).toBe(30);
    expect(store.get('r1', 7)?.plan.agents[0].config).toMatchObject({ cooldown_seconds: 420 });
    expect(() => store.insert(v(30))).toThrow(/UNIQUE|PRIMARY/i);
    expect(store.forget('r1')).toBe(30);
    expect(store.current('r1')).toBeUndefined();
  });
});
