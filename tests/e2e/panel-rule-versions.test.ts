// A rule's versions in the Rules view (issue 16, Panel) in headless Chromium over the real app
// with fake services: which version runs, each one's changes as a diff (a field's old and new
// value, code as a line diff), a rollback confirmed and then shown as the new running version;
// the same diff on an edit proposal in Chat. In every look, with screenshots.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../server/src/contract/plans.ts';
import type { RuleRollbackResult, RuleVersion } from '../../server/src/contract/rule-versions.ts';
import { ServiceError } from '../../server/src/contract/service-error.ts';
import { screenshot } from '../helpers/browser.ts';
import { usePanelSession } from '../helpers/browser-session.ts';
import type { PanelServer } from '../helpers/panel-server.ts';
import { LOOKS } from './looks.ts';

const session = usePanelSession();
let page: Page | undefined;

const p = (): Page => {
  if (!page) throw new Error('no page open');
  return page;
};

const CODE_V1 = ['export default async (agent) => {', '  const t = await agent.state("sensor.porch_temp");', '  if (t > 30) {', '    await agent.notify("hot");', '  }', '};'].join('\n');
const CODE_V2 = CODE_V1.replace('t > 30', 't > 28');
const agents = [{ name: 'porch-light', type: 'ha_actuator', description: 'Turns on light.porch when the front door opens', trigger: 'state of binary_sensor.front_door' }];

/** Three versions of the porch rule, newest (running) first. */
function porchVersions(): RuleVersion[] {
  const v = (n: number, rest: Partial<RuleVersion>): RuleVersion => ({
    version: n, current: false, title: 'Porch light', approved_at: `2026-05-1${n}T08:00:00.000Z`, approved_by: 'Alex', source: 'edit', request: '', summary: '', plan_id: `plan-${n}`, agents, diff: [], ...rest,
  });
  return [
    v(3, {
      current: true, request: 'only after sunset', summary: 'porch-light conditions (none) → sun.sun state = "below_horizon"',
      diff: [{ agent: 'porch-light', change: 'added', field: 'conditions', before: null, after: 'sun.sun state = "below_horizon"' }],
    }),
    v(2, {
      request: 'use 30 minutes instead of 10', summary: 'porch-light cooldown 600 s (10 min) → 1800 s (30 min); porch-temp code changed',
      diff: [
        { agent: 'porch-light', change: 'changed', field: 'cooldown', before: '600 s (10 min)', after: '1800 s (30 min)' },
        { agent: 'porch-temp', change: 'changed', field: 'code', before: CODE_V1, after: CODE_V2 },
        { agent: null, change: 'changed', field: 'title', before: 'Porch', after: 'Porch light' },
      ],
    }),
    v(1, { source: 'created', request: 'turn on the porch light when the front door opens', summary: 'created', approved_by: null }),
  ];
}

/** Versions and rollback for rule-1, as the planner answers them; a rollback becomes the newest version. */
function serveVersions(s: PanelServer): { rollbacks: number[] } {
  let versions = porchVersions();
  const seen = { rollbacks: [] as number[] };
  s.fake.services.rules.versions = async (id) => (id === 'rule-1' ? versions : undefined);
  s.fake.services.rules.rollback = async (id, version): Promise<RuleRollbackResult> => {
    const target = versions.find((v) => v.version === version);
    if (id !== 'rule-1' || !target) throw new ServiceError('not_found', `no version ${version}`);
    if (target.current) throw new ServiceError('conflict', `version ${version} is already running`);
    seen.rollbacks.push(version);
    const next: RuleVersion = {
      ...target, version: versions.length + 1, current: true, source: 'rollback', request: `rollback to v${version}`, summary: `back to v${version}`, approved_at: '2026-05-15T08:00:00.000Z',
      diff: [{ agent: 'porch-light', change: 'removed', field: 'conditions', before: 'sun.sun state = "below_horizon"', after: null }],
    };
    versions = [next, ...versions.map((v) => ({ ...v, current: false }))];
    const rule = s.fake.state.rules.find((r) => r.id === id);
    if (!rule) throw new ServiceError('not_found', id);
    rule.description = 'Turns on light.porch when the front door opens (v2)';
    return { rule, version: next };
  };
  return seen;
}

describe('rule versions', () => {
  for (const look of LOOKS) {
    it(`lists versions with their diffs and rolls back to one after confirmation (${look.name})`, async () => {
      const server = await session.startPanel();
      const seen = serveVersions(server);
      page = await session.open(`${server.url}/#/rules`, look.options);

      const card = p().locator('wz-rules-view [data-rule=rule-1]');
      expect(await card.locator('[data-field=running-version]').innerText()).toBe('v3 running · 3 kept');
      await card.locator('[data-action=versions]').click();
      expect(await card.locator('[data-action=versions]').getAttribute('aria-expanded')).toBe('true');
      const v2 = card.locator('li[data-version="2"]');
      expect(await v2.innerText()).toContain('use 30 minutes instead of 10');
      expect(await card.locator('li[data-version="3"] [data-field=current]').innerText()).toBe('running');
      // The running version offers no rollback to itself.
      expect(await card.locator('li[data-version="3"] [data-action=rollback]').count()).toBe(0);

      await v2.locator('[data-action=diff]').click();
      const diff = v2.locator('wz-rule-diff');
      const cooldown = diff.locator('[data-diff-field=cooldown]');
      expect(await cooldown.locator('[data-side=before]').textContent()).toBe('before: 600 s (10 min)');
      expect(await cooldown.locator('[data-side=after]').textContent()).toBe('after: 1800 s (30 min)');
      // The rule's own change comes first; the code as a line diff with the unchanged lines folded.
      expect(await diff.locator('[data-agent]').evaluateAll((els) => els.map((e) => e.getAttribute('data-agent')))).toEqual(['', 'porch-light', 'porch-temp']);
      const code = diff.locator('[data-diff-field=code] [data-field=line-diff]');
      expect(await code.locator('.del').innerText()).toContain('if (t > 30) {');
      expect(await code.locator('.add').innerText()).toContain('if (t > 28) {');
      expect(await code.locator('.line').count()).toBeLessThan(CODE_V1.split('\n').length + 2);
      expect(await p().evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(look.options.viewport?.width ?? 0);
      await screenshot(p(), `rules-versions-${look.name}`);

      // Cancelled first: nothing happens.
      await v2.locator('[data-action=rollback]').click();
      await p().locator('wz-confirm [data-cancel]').click();
      expect(seen.rollbacks).toEqual([]);
      // Confirmed: the rollback is made, and shows as the new running version.
      await v2.locator('[data-action=rollback]').click();
      expect(await p().locator('wz-confirm p').innerText()).toContain('back to version 2');
      await p().locator('wz-confirm [data-confirm]').click();
      await card.locator('[data-field=rollback-done]').waitFor();
      expect(seen.rollbacks).toEqual([2]);
      expect(await card.locator('[data-field=rollback-done]').innerText()).toContain('now running version 4');
      await card.locator('li[data-version="4"][data-current=true]').waitFor();
      expect(await card.locator('[data-field=running-version]').innerText()).toBe('v4 running · 4 kept');
      expect(await card.locator('li[data-version="3"] [data-action=rollback]').count()).toBe(1);
      // The card shows the rule as the rollback returned it.
      expect(await card.innerText()).toContain('when the front door opens (v2)');
    });
  }

  it('shows the server\'s refusal of a rollback, and no versions section where the server keeps none', async () => {
    const server = await session.startPanel();
    serveVersions(server);
    server.fake.services.rules.rollback = async () => {
      throw new ServiceError('invalid', 'version 1 no longer validates: light.porch is not in the home');
    };
    page = await session.open(`${server.url}/#/rules`);
    const card = p().locator('wz-rules-view [data-rule=rule-1]');
    await card.locator('[data-action=versions]').click();
    await card.locator('li[data-version="1"] [data-action=rollback]').click();
    await p().locator('wz-confirm [data-confirm]').click();
    expect(await card.locator('wz-rule-versions [role=alert]').innerText()).toContain('no longer validates');
    await page.context().close();

    delete server.fake.services.rules.versions;
    page = await session.open(`${server.url}/#/rules`);
    const bare = p().locator('wz-rules-view [data-rule=rule-1]');
    await bare.locator('[data-field=backtest]').waitFor();
    // The card rendered its versions element in the same task; the 404 leaves it empty.
    await p().waitForFunction(() => {
      const c = document.querySelector('wactorz-panel')?.shadowRoot?.querySelector('wz-rules-view')?.shadowRoot?.querySelector('wz-rule-card');
      const v = c?.shadowRoot?.querySelector('wz-rule-versions');
      return v?.shadowRoot?.childElementCount === 0 && (v as unknown as { _versions?: { state: { data: unknown } } })._versions?.state.data === null;
    });
    expect(await bare.locator('[data-action=versions]').count()).toBe(0);
  });

  it('an edit proposal in Chat shows what changes against the running version', async () => {
    const server = await session.startPanel();
    const edit: Plan = {
      id: 'plan-edit', conversation_id: null, title: 'Porch light', summary: 'Use 30 minutes instead of 10.', status: 'pending', created_at: '2026-05-13T10:00:00.000Z',
      agents, validation: { ok: true, errors: [], warnings: [] }, rule_id: null, reason: null,
      edit_of: { rule_id: 'rule-1', version: 3 },
      diff: [{ agent: 'porch-light', change: 'changed', field: 'cooldown', before: '600 s (10 min)', after: '1800 s (30 min)' }],
    };
    // The scripted turn for an edit: a proposal carrying the diff, then the answer.
    server.fake.services.chat.process = async function* (_text, ctx) {
      server.fake.state.plans.push(edit);
      yield { type: 'proposal', plan: edit };
      yield { type: 'done', turnId: 't-edit', conversationId: ctx.conversationId, reply: 'Here is the change.', agent: 'main', route: 'pipeline' };
    };
    page = await session.open(`${server.url}/#/chat`);
    await p().locator('wz-chat-view textarea').fill('use 30 minutes instead of 10 for the porch rule');
    await p().locator('wz-chat-view textarea').press('Enter');
    const card = p().locator('wz-proposal-card [data-plan=plan-edit]');
    await card.waitFor();
    const diff = card.locator('[data-field=diff]');
    expect(await diff.locator('h3').innerText()).toContain('running version (v3)');
    expect(await diff.locator('[data-diff-field=cooldown] [data-side=after]').textContent()).toBe('after: 1800 s (30 min)');
    await screenshot(p(), 'chat-edit-proposal');
  });
});
