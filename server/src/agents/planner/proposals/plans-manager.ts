// The proposal flow: a drafted pipeline becomes a pending proposal (persisted); "yes"/"approve"
// or /plans approve deploys it as a rule; "no" rejects it; a correction drafts again with the
// previous plan and the change, and the old proposal is superseded by the new one; pending
// proposals expire after 24 h. Bypass prefixes deploy at once, except when the plan is invalid or
// has sensitive actions: those need the user's explicit approval whatever the prefix. A request
// that names a running rule and asks to change it drafts an edit of that rule from its running
// version (always a proposal, never bypassed); approving it swaps the rule's agents and records
// the next version (rules/rule-editor.ts).
import type { Clock, TimerHandle } from '../../../core/clock.ts';
import { errorText } from '../deadline.ts';
import { draftPipeline, type PipelineDeps, type PipelineDraft } from '../pipeline/pipeline-planner.ts';
import type { PlannerOutcome, PlansPort, ReplyContext, SpawnPort } from '../ports.ts';
import { deployRule } from '../rules/deploy.ts';
import type { RulesManager } from '../rules/rules-manager.ts';
import { newRuleId } from '../rules/rule.ts';
import { formatRule } from '../rules/rule-format.ts';
import { diffPlans, formatDiff } from '../rules/rule-diff.ts';
import type { RuleEditor } from '../rules/rule-editor.ts';
import { findRuleRef, looksLikeEdit, refersBack } from '../rules/rule-ref.ts';
import { formatProposal, formatProposalList } from './proposal-format.ts';
import type { ProposalStore } from './proposal-store.ts';
import { newPlanId, PROPOSAL_TTL_MS, transition, type Proposal, type ProposalEdit, type ProposalEvent, type ProposalView } from './proposal.ts';
import { classifyReply } from './replies.ts';

export interface PlansManagerOptions {
  store: ProposalStore;
  rules: RulesManager;
  spawner: SpawnPort;
  clock: Clock;
  pipeline: PipelineDeps;
  /** How often pending proposals are checked for expiry (they are also checked on every access). */
  sweepMs?: number;
  timezone?: () => string | undefined;
  /** Versions, edits and rollbacks of running rules. */
  editor: RuleEditor;
}

/** What a message asking to change a rule is about: the rule to edit, or why none can be. */
export type EditTarget = { kind: 'edit'; ruleId: string } | { kind: 'answer'; text: string };

export interface ProposeOptions extends ReplyContext {
  bypassApproval?: boolean;
}

export class PlansManager implements PlansPort {
  readonly #o: PlansManagerOptions;
  readonly #approving = new Set<string>();
  #sweep: TimerHandle | undefined;

  constructor(options: PlansManagerOptions) {
    this.#o = options;
  }

  start(): void {
    const sweep = () => {
      this.expireDue();
      this.prune();
    };
    sweep();
    this.#sweep ??= this.#o.clock.setInterval(sweep, this.#o.sweepMs ?? 15 * 60_000);
  }

  stop(): void {
    this.#sweep?.cancel();
    this.#sweep = undefined;
  }

  /** Drafts a rule and makes it a pending proposal (or deploys it at once with a bypass prefix). */
  async propose(request: string, ctx: ProposeOptions = {}): Promise<PlannerOutcome> {
    // A second pending plan beside the first would leave a later "yes" approving whichever came
    // last: one pending plan per conversation, answered (or rejected) before the next is drafted.
    const waiting = this.#waiting(ctx);
    if (waiting) return { kind: 'refused', text: waitingText(waiting, 'I did not draft a new plan'), errors: [] };
    const draft = await draftPipeline(request, this.#o.pipeline, ctx.signal ? { signal: ctx.signal } : {});
    if (draft.kind === 'refused') return { kind: 'refused', text: draft.text, errors: draft.errors };
    const proposal = this.#record(request, draft, ctx);
    if (!ctx.bypassApproval) return this.#proposed(proposal);
    if (!proposal.validation.ok || proposal.validation.sensitive.length > 0) {
      const why = proposal.validation.ok ? `it acts on ${proposal.validation.sensitive.join(', ')}, which needs your explicit approval` : 'it did not pass validation';
      return this.#proposed(proposal, `I did not skip approval: ${why}.`);
    }
    // A bypass is the user's own instruction to deploy, but not a confirmation of sensitive actions (none here).
    return this.#approve(proposal, false);
  }

  list(filter: { status?: ProposalView['status']; conversationId?: string } = {}): ProposalView[] {
    this.expireDue();
    return this.#o.store.list().filter((p) => (filter.status === undefined || p.status === filter.status) && (filter.conversationId === undefined || p.conversationId === filter.conversationId));
  }

  get(id: string): ProposalView | undefined {
    this.expireDue();
    return this.#o.store.get(id);
  }

  async approve(id: string, by?: { userId?: string }): Promise<PlannerOutcome> {
    this.expireDue();
    const p = this.#o.store.get(id);
    if (!p) return { kind: 'error', text: `There is no plan ${id}. /plans lists them.` };
    return this.#approve(p, true, by?.userId);
  }

  /**
   * Whether a message asks to change a running rule, and which. `explicit`: only a rule the text
   * names counts (a `pipeline:` request); otherwise "the rule" and "... instead of ..." mean the
   * rule last approved in this conversation.
   */
  editTarget(text: string, ctx: ReplyContext, options: { explicit?: boolean } = {}): EditTarget | undefined {
    if (!looksLikeEdit(text)) return undefined;
    const rules = this.#o.rules.list();
    if (rules.length === 0) return undefined;
    const ref = findRuleRef(text, rules);
    const which = `Name it by id or by a word of its title: ${rules.map((r) => `${r.id} (${r.title})`).join(', ')}.`;
    switch (ref.kind) {
      case 'one':
        return { kind: 'edit', ruleId: ref.rule.id };
      case 'unknown':
        return { kind: 'answer', text: `I found no rule called "${ref.name}", so nothing was changed. ${which}` };
      case 'several':
        return { kind: 'answer', text: `That ${ref.name ? `fits several rules ("${ref.name}")` : 'names several rules'}: ${ref.rules.map((r) => `${r.id} (${r.title})`).join(', ')}. I change one rule at a time: say which, by id.` };
      case 'unnamed': {
        if (options.explicit) return undefined;
        const last = this.#lastRule(ctx);
        return last ? { kind: 'edit', ruleId: last } : { kind: 'answer', text: `Which rule should I change? ${which}` };
      }
      case 'none': {
        if (options.explicit || !refersBack(text)) return undefined;
        const last = this.#lastRule(ctx);
        return last ? { kind: 'edit', ruleId: last } : undefined;
      }
    }
  }

  /** Drafts a change of a running rule from its running version: a proposal with the diff. */
  async proposeEdit(ruleId: string, change: string, ctx: ReplyContext = {}): Promise<PlannerOutcome> {
    const waiting = this.#waiting(ctx);
    if (waiting) return { kind: 'refused', text: waitingText(waiting, 'I did not draft a change'), errors: [] };
    const rule = this.#o.rules.get(ruleId);
    if (!rule) return { kind: 'error', text: `There is no rule ${ruleId}. /rules lists them.` };
    if (!rule.enabled) return { kind: 'refused', text: `Rule ${ruleId} is disabled: enable it first, then change it.`, errors: [] };
    const base = this.#o.editor.current(ruleId);
    if (!base) return { kind: 'error', text: `There is no rule ${ruleId}. /rules lists them.` };
    const request = `${base.text}\n(change: ${change})`;
    const draft = await draftPipeline(request, this.#editDeps(rule.agents.map((a) => a.config.name)), { previous: base.plan, correction: change, editing: true, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    if (draft.kind === 'refused') return { kind: 'refused', text: `${draft.text}\nRule ${ruleId} keeps running as version ${base.version}.`, errors: draft.errors };
    const diff = diffPlans(base.plan, draft.plan);
    if (diff.length === 0) return { kind: 'refused', text: `The plan I drafted for "${change}" is the same as version ${base.version} of rule ${ruleId} (${rule.title}), so there is nothing to approve. Say what to change in other words.`, errors: [] };
    return this.#proposed(this.#record(request, draft, ctx, undefined, { ruleId, version: base.version, diff }));
  }

  /** Validation treats the edited rule's own agents as free names: they are swapped, not taken. */
  #editDeps(own: readonly string[]): PipelineDeps {
    const deps = this.#o.pipeline;
    const mine = new Set(own);
    return { ...deps, timezone: deps.timezone, agentExists: (name) => !mine.has(name) && (deps.agentExists?.(name) ?? false) };
  }

  /** The rule last approved (created or edited) in this conversation, if it still exists. */
  #lastRule(ctx: ReplyContext): string | undefined {
    for (const p of this.#o.store.list()) {
      if (p.status !== 'approved' || !p.ruleId || p.conversationId !== ctx.conversationId || p.requestedBy !== ctx.userId) continue;
      if (this.#o.rules.get(p.ruleId)) return p.ruleId;
    }
    return undefined;
  }

  reject(id: string, reason?: string): PlannerOutcome {
    this.expireDue();
    const p = this.#o.store.get(id);
    if (!p) return { kind: 'error', text: `There is no plan ${id}. /plans lists them.` };
    const moved = this.#move(p, { type: 'reject', ...(reason ? { reason } : {}) });
    if (!moved.ok) return { kind: 'error', text: moved.error };
    return { kind: 'proposal', proposal: moved.proposal, text: `Plan ${id} rejected; nothing was spawned.` };
  }

  async correct(id: string, correction: string, ctx: ReplyContext = {}): Promise<PlannerOutcome> {
    this.expireDue();
    const old = this.#o.store.get(id);
    if (!old) return { kind: 'error', text: `There is no plan ${id}. /plans lists them.` };
    if (old.status !== 'pending') return { kind: 'error', text: `Plan ${id} is ${old.status}; only a pending plan can be changed. Describe the rule again for a new plan.` };
    const request = `${old.request}\n(change: ${correction})`;
    // An edit stays an edit of the same rule and version: its diff is against that version again.
    const base = old.edit ? this.#o.editor.get(old.edit.ruleId, old.edit.version) : undefined;
    const deps = old.edit ? this.#editDeps((this.#o.rules.get(old.edit.ruleId)?.agents ?? []).map((a) => a.config.name)) : this.#o.pipeline;
    const draft = await draftPipeline(request, deps, { previous: old.plan, correction, ...(old.edit ? { editing: true } : {}), ...(ctx.signal ? { signal: ctx.signal } : {}) });
    if (draft.kind === 'refused') return { kind: 'refused', text: `${draft.text}\nPlan ${id} is still pending as it was.`, errors: draft.errors };
    const edit: ProposalEdit | undefined = old.edit && base ? { ...old.edit, diff: diffPlans(base.plan, draft.plan) } : undefined;
    const next = this.#record(request, draft, { ...ctx, conversationId: old.conversationId ?? ctx.conversationId, userId: old.requestedBy ?? ctx.userId }, old.id, edit);
    const moved = this.#move(old, { type: 'supersede', by: next.id, reason: `superseded by plan ${next.id} (${correction})` });
    if (!moved.ok) return { kind: 'error', text: moved.error };
    return this.#proposed(next, `Plan ${old.id} is superseded by this one.`);
  }

  async handleReply(text: string, ctx: ReplyContext): Promise<PlannerOutcome | undefined> {
    this.expireDue();
    const pending = this.#o.store.pendingIn(ctx.userId, ctx.conversationId)[0];
    if (!pending) return undefined;
    const reply = classifyReply(text);
    switch (reply.kind) {
      case 'approve':
        return this.#approve(pending, true, ctx.userId);
      case 'reject':
        return this.reject(pending.id, 'rejected by the user');
      case 'correct':
        return this.correct(pending.id, reply.correction, ctx);
      case 'spawn_like':
      case 'other':
        return undefined;
    }
  }

  /** The answer to a spawn-like request while a plan waits: the request is not carried out. */
  pendingWarning(text: string, ctx: ReplyContext): string | undefined {
    const pending = this.#waiting(ctx);
    if (!pending || classifyReply(text).kind !== 'spawn_like') return undefined;
    return waitingText(pending, 'I did not act on this message');
  }

  isWaiting(ctx: ReplyContext): boolean {
    return this.#waiting(ctx) !== undefined;
  }

  #waiting(ctx: ReplyContext): ProposalView | undefined {
    const pending = this.#o.store.pendingIn(ctx.userId, ctx.conversationId)[0];
    return pending && pending.expiresAt > this.#o.clock.now() ? pending : undefined;
  }

  format(id?: string): string {
    const tz = this.#o.timezone?.();
    if (id === undefined) return formatProposalList(this.list(), tz);
    const p = this.get(id);
    return p ? formatProposal(p, tz) : `There is no plan ${id}. /plans lists them.`;
  }

  /** Moves every pending proposal past its 24 h to expired; returns their ids. */
  expireDue(): string[] {
    const out: string[] = [];
    for (const p of this.#o.store.duePending(this.#o.clock.now())) {
      if (this.#move(p, { type: 'expire' }).ok) out.push(p.id);
    }
    return out;
  }

  /** How many decided proposals were forgotten (kept a week for /plans). */
  prune(): number {
    return this.#o.store.prune(this.#o.clock.now() - 7 * 24 * 3600_000);
  }

  #record(request: string, draft: Extract<PipelineDraft, { kind: 'draft' }>, ctx: ReplyContext, supersedes?: string, edit?: ProposalEdit): Proposal {
    const now = this.#o.clock.now();
    const p: Proposal = {
      id: newPlanId(),
      request,
      status: 'pending',
      plan: draft.plan,
      validation: draft.validation,
      backtest: draft.backtest,
      createdAt: now,
      updatedAt: now,
      expiresAt: now + PROPOSAL_TTL_MS,
      ...(ctx.conversationId !== undefined ? { conversationId: ctx.conversationId } : {}),
      ...(ctx.userId !== undefined ? { requestedBy: ctx.userId } : {}),
      ...(supersedes ? { supersedes } : {}),
      ...(edit ? { edit } : {}),
    };
    this.#o.store.save(p);
    return p;
  }

  #move(p: Proposal, event: ProposalEvent): { ok: true; proposal: Proposal } | { ok: false; error: string } {
    const t = transition(p, event, this.#o.clock.now());
    if (t.ok) this.#o.store.save(t.proposal);
    return t;
  }

  #proposed(p: Proposal, note?: string): PlannerOutcome {
    const text = formatProposal(p, this.#o.timezone?.());
    return { kind: 'proposal', proposal: p, text: note ? `${note}\n\n${text}` : text };
  }

  async #approve(p: Proposal, confirmed: boolean, approvedBy?: string): Promise<PlannerOutcome> {
    if (this.#approving.has(p.id)) return { kind: 'error', text: `Plan ${p.id} is being approved already.` };
    if (p.edit) return this.#approveEdit(p, p.edit, approvedBy);
    const ruleId = newRuleId();
    // Checked before spawning: an expired, decided or invalid plan must not start anything.
    const check = transition(p, { type: 'approve', ruleId }, this.#o.clock.now());
    if (!check.ok) return { kind: 'error', text: check.error };
    this.#approving.add(p.id);
    try {
      const now = this.#o.clock.now();
      const deployed = await deployRule({ ruleId, planId: p.id, text: p.request, plan: p.plan, ...(p.backtest ? { backtest: p.backtest } : {}), confirmed, now }, this.#o.spawner);
      if (!deployed.ok) {
        this.#o.store.save({ ...p, updatedAt: now, reason: `approval failed: ${deployed.error}` });
        return { kind: 'error', text: `Plan ${p.id} could not be deployed (${deployed.error}); nothing is running. It is still pending: fix the cause, or tell me what to change.` };
      }
      const { rule, warning } = await this.#o.rules.add(deployed.rule);
      this.#o.editor.recordCreated(deployed.rule, p.plan, approvedBy ?? p.requestedBy);
      this.#o.store.save(check.proposal);
      const all = [...deployed.warnings, ...(warning ? [warning] : [])];
      const notes = all.length ? `\nNotes: ${all.join('; ')}` : '';
      return { kind: 'rule', rule, text: `✅ Rule ${rule.id} is running (plan ${p.id}).\n${formatRule(rule, this.#o.timezone?.())}${notes}` };
    } catch (err) {
      return { kind: 'error', text: `Plan ${p.id} could not be deployed: ${errorText(err)}` };
    } finally {
      this.#approving.delete(p.id);
    }
  }

  /** An edit: the rule's agents swapped for the plan's, only onto the version it was drafted from. */
  async #approveEdit(p: Proposal, edit: ProposalEdit, approvedBy: string | undefined): Promise<PlannerOutcome> {
    const check = transition(p, { type: 'approve', ruleId: edit.ruleId }, this.#o.clock.now());
    if (!check.ok) return { kind: 'error', text: check.error };
    this.#approving.add(p.id);
    try {
      const base = this.#o.editor.get(edit.ruleId, edit.version);
      const applied = await this.#o.editor.apply({
        ruleId: edit.ruleId,
        baseVersion: edit.version,
        plan: p.plan,
        text: p.request,
        source: 'edit',
        request: changesOf(p.request, base?.text),
        proposalId: p.id,
        approvedBy: approvedBy ?? p.requestedBy,
        backtest: p.backtest,
      });
      const now = this.#o.clock.now();
      if (!applied.ok) {
        // Drafted from a version that no longer runs (or a rule that is gone): it can never apply.
        const current = this.#o.editor.current(edit.ruleId);
        if (current?.version !== edit.version) {
          const moved = this.#move(p, { type: 'reject', reason: current ? `rule ${edit.ruleId} moved on to version ${current.version}` : `rule ${edit.ruleId} was deleted` });
          return { kind: 'error', text: `${applied.error}${moved.ok ? ` Plan ${p.id} is closed.` : ''}` };
        }
        this.#o.store.save({ ...p, updatedAt: now, reason: `approval failed: ${applied.error}` });
        return { kind: 'error', text: `${applied.error} Plan ${p.id} is still pending: fix the cause and approve it again, or tell me what to change.` };
      }
      this.#o.store.save(check.proposal);
      const notes = applied.warnings.length ? `\nNotes: ${applied.warnings.join('; ')}` : '';
      return { kind: 'rule', rule: applied.rule, text: `✅ Rule ${edit.ruleId} now runs version ${applied.version.version} (plan ${p.id}).\nChanges from version ${edit.version}:\n${formatDiff(applied.version.diff).join('\n')}\n${formatRule(applied.rule, this.#o.timezone?.())}${notes}` };
    } catch (err) {
      return { kind: 'error', text: `Plan ${p.id} could not be applied: ${errorText(err)}` };
    } finally {
      this.#approving.delete(p.id);
    }
  }
}

function changesOf(request: string, baseText: string | undefined): string {
  const added = baseText !== undefined && request.startsWith(baseText) ? request.slice(baseText.length) : request;
  const changes = [...added.matchAll(/\(change: ([^\n]*)\)/g)].map((m) => m[1]);
  return changes.length ? changes.join('; ') : added.trim();
}

function waitingText(pending: ProposalView, notDone: string): string {
  return (
    `⚠️ Plan ${pending.id} ("${pending.plan.title}") is still waiting for your answer; approve it with /plans approve ${pending.id} or reject it with /plans reject ${pending.id}. ` +
    `${notDone}: answer the plan first (or change it: "make it ..."), then ask again.`
  );
}
