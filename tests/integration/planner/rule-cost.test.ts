// Cost per rule over the real parts: a rule whose dynamic agent asks the (scripted) LLM on every
// reading; the ledger rows of those calls carry the rule's id, and /rules, the API and /cost show
// what the rule spent. An agent outside any rule stays unattributed.
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { CommandContext, SlashCommand } from '../../../server/src/agents/main/commands/registry.ts';
import { rulesCommand } from '../../../server/src/agents/main/commands/rules.ts';
import { costCommand } from '../../../server/src/agents/main/commands/cost.ts';
import { Rule } from '../../../server/src/contract/rules.ts';
import { reply } from '../../helpers/fake-llm/index.ts';
import { byKind, userOf } from '../../unit/agents/planner/llm-script.ts';
import { eventually, startPlannerWorld, type PlannerWorld } from './planner-world.ts';
import { P6_TEMP_LAMP } from './plans.ts';

let world: PlannerWorld;

beforeEach(async () => {
  world = await startPlannerWorld();
});
afterEach(async () => {
  await world.close();
});

function slash(command: SlashCommand, ...args: string[]): Promise<string> {
  return command.run({ args, rest: args.join(' '), deps: { rules: world.planner.http.rules, llm: world.llm } } as unknown as CommandContext);
}

/** P6 with a monitor that asks the model about every reading. */
function askingPlan() {
  const plan = structuredClone(P6_TEMP_LAMP);
  const monitor = plan.agents[0].spawn_config as { code: string };
  monitor.code = monitor.code.replace(
    "agent.subscribe('custom/sensors/temp_humidity', async (data) => { agent.state.temp = data.temp; await check(); });",
    "agent.subscribe('custom/sensors/temp_humidity', async (data) => { agent.state.temp = data.temp; agent.state.said = await agent.llm.chat('Is ' + data.temp + ' degrees warm?'); await check(); });",
  );
  return plan;
}

test("a rule's dynamic agent's LLM calls are ledgered to the rule and shown by /rules, the API and /cost", async () => {
  world.publish('custom/sensors/temp_humidity', { temp: 18, humidity: 40 });
  await eventually(() => world.topicBus.registry.sample('custom/sensors/temp_humidity') !== undefined, 'the sample observed');
  const ruleId = await world.deployRule(askingPlan(), 'if the floor lamp is on and the temperature goes above 20, turn off the lamp');
  const script = byKind({ other: (r) => reply.text(userOf(r).includes('degrees warm') ? 'yes' : 'no', { usage: { input: 1_000, output: 200 } }) });
  world.fake.respond(script.fn);

  world.publish('custom/sensors/temp_humidity', { temp: 22, humidity: 40 });
  world.publish('custom/sensors/temp_humidity', { temp: 23, humidity: 40 });
  await eventually(() => world.llm.ledger.report({ period: 'all', rule: ruleId }).totals.calls === 2, 'two calls ledgered to the rule');

  const rows = world.llm.ledger.recent(10).filter((r) => r.agent === 'warm-lamp-monitor');
  expect(rows.map((r) => r.rule)).toEqual([ruleId, ruleId]);
  expect(rows.every((r) => r.callSite === 'agent')).toBe(true);
  const spent = world.llm.ledger.report({ period: 'all', rule: ruleId }).totals.costUsd;
  expect(spent).toBeGreaterThan(0);
  // The planner's own call (planning the rule, before it existed) is not the rule's.
  expect(world.llm.ledger.recent(10).find((r) => r.agent === 'planner')?.rule).toBeUndefined();

  const [api] = (await world.planner.http.rules.list()).map((r) => Rule.parse(r));
  expect(api).toMatchObject({ id: ruleId, cost_usd: spent, cost_today_usd: spent });
  const listed = await slash(rulesCommand);
  expect(listed).toContain(`[${ruleId}] Lamp off when warm`);
  // Cents, or four decimals below one cent, as /cost prints them.
  const shown = `$${spent < 0.01 ? spent.toFixed(4) : spent.toFixed(2)}`;
  expect(listed).toContain(`LLM cost: ${shown} today, ${shown} in all`);
  expect(await slash(costCommand, 'all')).toContain(`By rule:\n  rule ${ruleId}: ${shown} over 2 calls`);

  // The next day: today's cost starts again, the total stays.
  await world.clock.advance(24 * 3_600_000);
  const [tomorrow] = await world.planner.http.rules.list();
  expect(tomorrow).toMatchObject({ cost_usd: spent, cost_today_usd: 0 });
});
