// What every MCP transport must do for a client, as one sequence: list and call every tool, read
// every resource, refuse bad input as tool errors. Both transports (Streamable HTTP, the CLI's
// stdio) run it against the same real runtime, so they cannot drift apart.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { expect } from 'vitest';
import type { Runtime } from '../../../server/src/runtime.ts';
import { TOOL_NEEDS } from '../../../server/src/interfaces/mcp/capabilities.ts';

export const TOOLS = ['ask', 'cost_summary', 'disable_rule', 'enable_rule', 'ha_call_service', 'ha_get_state', 'ha_list_entities', 'list_agents', 'list_capabilities', 'list_rules', 'pause_agent', 'propose_rule', 'resume_agent', 'send_task', 'spawn_recipe', 'stop_agent'];

interface ToolResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
}

export async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<ToolResult> {
  return (await client.callTool({ name, arguments: args })) as ToolResult;
}

export const textOf = (r: ToolResult): string => r.content.map((c) => c.text ?? '').join('');

export async function exercise(client: Client, runtime: Runtime, suffix: string): Promise<void> {
  const tools = await client.listTools();
  expect(tools.tools.map((t) => t.name).sort()).toEqual(TOOLS);
  expect(Object.keys(TOOL_NEEDS).sort()).toEqual(TOOLS);

  // list_capabilities and wactorz://config: capabilities.test.ts (its own runtime: the rate limit).
  expect(tools.tools.find((t) => t.name === 'enable_rule')?.inputSchema).toMatchObject({ type: 'object', required: ['id'] });
  const hints = Object.fromEntries(tools.tools.map((t) => [t.name, t.annotations]));
  expect(hints).toMatchObject({ ha_list_entities: { readOnlyHint: true }, ha_get_state: { readOnlyHint: true }, ha_call_service: { destructiveHint: true }, stop_agent: { destructiveHint: true } });

  // ask: one orchestrator turn on the owner's API channel.
  const asked = await call(client, 'ask', { message: 'hello' });
  expect(asked.isError).toBeFalsy();
  expect(textOf(asked)).toBe('Hello from main.');
  expect(asked.structuredContent).toMatchObject({ agent: 'main', conversation_id: expect.stringMatching(/^mcp-/) as unknown });

  // Approval stays with a person, whatever the text asks.
  const approve = await call(client, 'ask', { message: '/plans approve p-1' });
  expect(approve.isError).toBe(true);
  expect(textOf(approve)).toContain('is for a person');
  expect((await call(client, 'ask', { message: 'pipeline!: turn on the hallway light on motion' })).isError).toBe(true);

  // Input errors are tool errors, never a crash.
  for (const [name, args] of [['ask', { message: '   ' }], ['ask', {}], ['enable_rule', {}], ['cost_summary', { period: 'year' }], ['send_task', { agent: 'no such/agent', task: 'x' }], ['spawn_recipe', { recipe: 'reminders', params: [1] }]] as const) {
    const r = await call(client, name, args);
    expect(r.isError, `${name} ${JSON.stringify(args)}`).toBe(true);
    expect(textOf(r)).toContain('Input validation error');
  }

  const agents = await call(client, 'list_agents');
  expect((agents.structuredContent?.agents as { name: string }[]).map((a) => a.name)).toEqual(expect.arrayContaining(['main', 'monitor', 'catalog']));

  // send_task: the catalog agent answers its "list" task.
  const listed = await call(client, 'send_task', { agent: 'catalog', task: 'list' });
  expect(listed.isError).toBeFalsy();
  expect(textOf(listed)).toContain('reminders');

  // spawn_recipe: through the catalog agent, so the recipe gets only its scopes.
  const name = `mcp-reminders-${suffix}`;
  const spawned = await call(client, 'spawn_recipe', { recipe: 'reminders', name, params: { max_reminders: 5 } });
  expect(spawned.isError, textOf(spawned)).toBeFalsy();
  expect(runtime.spawner.list().map((a) => a.name)).toContain(name);
  const missing = await call(client, 'spawn_recipe', { recipe: 'no-such-recipe-at-all' });
  expect(missing.isError).toBe(true);
  // The agent lifecycle and Home Assistant tools: home.test.ts (its own runtime: the rate limit).

  // propose_rule: a pending proposal; nothing runs until a person approves it.
  const before = runtime.spawner.list().length;
  const proposed = await call(client, 'propose_rule', { description: 'turn on the hallway light when motion is detected' });
  expect(proposed.isError, textOf(proposed)).toBeFalsy();
  const plan = (proposed.structuredContent?.proposals as { id: string; status: string }[])[0];
  expect(plan.status).toBe('pending');
  expect(runtime.spawner.list().length).toBe(before);
  // The person approves in the panel (the plans service, as the panel's route calls it).
  const approved = await runtime.plans.approve(plan.id, { identity: { userId: 'u1', userName: 'owner', displayName: null, via: 'ingress' }, signal: new AbortController().signal });
  const ruleId = approved?.rule_id;
  if (!ruleId) throw new Error(`the plan was not approved: ${JSON.stringify(approved)}`);

  const rules = await call(client, 'list_rules');
  expect((rules.structuredContent?.rules as { id: string; enabled: boolean }[]).find((r) => r.id === ruleId)).toMatchObject({ enabled: true });
  const off = await call(client, 'disable_rule', { id: ruleId });
  expect(off.structuredContent?.rule).toMatchObject({ id: ruleId, enabled: false });
  expect((await runtime.rules.list()).find((r) => r.id === ruleId)?.enabled).toBe(false);
  const on = await call(client, 'enable_rule', { id: ruleId });
  expect(on.structuredContent?.rule).toMatchObject({ id: ruleId, enabled: true });
  const unknown = await call(client, 'enable_rule', { id: 'no-such-rule' });
  expect(unknown.isError).toBe(true);
  expect(textOf(unknown)).toContain('There is no rule "no-such-rule"');

  const cost = await call(client, 'cost_summary', { period: 'day' });
  expect(cost.structuredContent).toMatchObject({
    period: 'day',
    total_usd: expect.any(Number) as unknown,
    prompt_cache: { read_tokens: expect.any(Number) as unknown, write_tokens: expect.any(Number) as unknown, saved_usd: expect.any(Number) as unknown },
    budget: expect.any(Object) as unknown,
  });
  expect((cost.structuredContent?.by_provider as unknown[]).length).toBeGreaterThan(0);

  // Resources: agents, rules, topics as JSON.
  const resources = await client.listResources();
  expect(resources.resources.map((r) => r.uri).sort()).toEqual(['wactorz://agents', 'wactorz://config', 'wactorz://home', 'wactorz://rules', 'wactorz://topics']);
  const read = async (uri: string): Promise<unknown> => {
    const r = await client.readResource({ uri });
    const c = r.contents[0];
    return JSON.parse('text' in c ? c.text : '');
  };
  expect((await read('wactorz://agents')) as { name: string }[]).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'main' })]));
  expect((await read('wactorz://rules')) as { id: string }[]).toEqual(expect.arrayContaining([expect.objectContaining({ id: ruleId })]));
  expect(((await read('wactorz://topics')) as unknown[]).length).toBeGreaterThan(0);
  const home = (await read('wactorz://home')) as { areas: { id: string; name: string; entities: { entity_id: string }[] }[]; entities_without_area: number };
  expect(home.areas.find((a) => a.id === 'kitchen')).toMatchObject({ name: 'Kitchen', entities: expect.arrayContaining([{ entity_id: 'light.kitchen', name: 'Kitchen Light', state: expect.any(String) as unknown }]) as unknown });
  expect(home.areas.find((a) => a.id === 'hallway')?.entities.map((e) => e.entity_id)).toContain('lock.front_door');
  await expect(client.readResource({ uri: 'wactorz://nothing' })).rejects.toThrow(/not found/);
}
