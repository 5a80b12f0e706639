// /rules history and /rules rollback over a RulesService: history is read-only (a restricted
// channel may list it), rollback is the owner's; refusals from the service read as they were
// written; wrong uses teach the syntax.
import { expect, it } from 'vitest';
import { CommandRegistry, type CommandContext, type CommandDeps } from '../../../../server/src/agents/main/commands/registry.ts';
import { rulesCommand } from '../../../../server/src/agents/main/commands/rules.ts';
import type { TurnContext } from '../../../../server/src/agents/main/turn-context.ts';
import type { RuleVersion } from '../../../../server/src/contract/rule-versions.ts';
import { ServiceError } from '../../../../server/src/contract/service-error.ts';
import type { RulesService } from '../../../../server/src/contract/services.ts';

const version = (n: number, over: Partial<RuleVersion> = {}): RuleVersion => ({
  version: n, current: false, title: 'Porch light', approved_at: `2026-05-1${n}T10:0${n}:00.000Z`, approved_by: 'alex', source: 'edit', request: 'only after sunset',
  summary: 'porch-light conditions (none) → sun.sun eq "below_horizon"', plan_id: `p${n}`, agents: [], diff: [], ...over,
});

function setup() {
  const calls: unknown[][] = [];
  const rules: RulesService = {
    list: async () => [],
    setEnabled: async () => undefined,
    delete: async () => false,
    versions: async (ref) => (ref === 'porch' ? [version(2, { current: true }), version(1, { source: 'created', request: 'porch light at sunset', summary: 'created' })] : undefined),
    rollback: async (ref, n, ctx) => {
      calls.push([ref, n, ctx.identity.userId]);
      if (n === 2) throw new ServiceError('conflict', 'Rule r1 already runs version 2; nothing to roll back.');
      return { rule: { id: 'r1' } as never, version: version(3, { current: true, source: 'rollback', request: 'rollback to v1', summary: 'porch-light conditions removed' }) };
    },
  };
  const registry = new CommandRegistry().register(rulesCommand);
  const run = (text: string, channel: TurnContext['channel'] = 'panel') => {
    const args = text.split(/\s+/).slice(1);
    const ctx = { turn: { user: { id: 'alex' }, channel, conversationId: 'c' }, conversationKey: 'alex/c', signal: new AbortController().signal, args, rest: args.join(' '), emit: () => {}, deps: { rules } as unknown as CommandDeps } satisfies CommandContext;
    return registry.run('rules', ctx);
  };
  return { run, calls };
}

it('/rules history lists versions newest first, the running one marked, on any channel', async () => {
  const { run } = setup();
  const text = await run('/rules history porch', 'mqtt');
  expect(text).toBe([
    'Versions of Porch light (2, newest first; ▶ runs now):',
    '  ▶ v2  2026-05-12 10:02 UTC  by alex  "only after sunset"',
    '        porch-light conditions (none) → sun.sun eq "below_horizon"',
    '    v1  2026-05-11 10:01 UTC  by alex  created: "porch light at sunset"',
    '',
    'Roll back with /rules rollback <rule> <version>.',
  ].join('\n'));
  expect(await run('/rules history garage')).toBe(`There is no rule garage (an id, or a word of one rule's title). /rules lists them.`);
  expect(await run('/rules history')).toMatch(/^name the rule: \/rules history <rule>\nUsage:/);
});

it('/rules rollback performs for the owner, reports refusals, and is refused on a restricted channel', async () => {
  const { run, calls } = setup();
  expect(await run('/rules rollback porch v1')).toBe(`↩️ Rule r1 runs version 1's agents again, recorded as version 3 ("rollback to v1").\nChanges: porch-light conditions removed`);
  expect(await run('/rules rollback porch 2')).toBe('Rule r1 already runs version 2; nothing to roll back.');
  expect(await run('/rules rollback porch latest')).toMatch(/^name the rule and the version/);
  expect(await run('/rules rollback porch 1', 'mqtt')).toMatch(/^⛔ \/rules rollback is only for the owner/);
  expect(calls).toEqual([['porch', 1, 'alex'], ['porch', 2, 'alex']]);
});
