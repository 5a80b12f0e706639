// The proposal flow: a drafted pipeline becomes a pending proposal (persisted); "yes"/"approve"
// or /plans approve deploys it as a rule; "no" rejects it; a correction drafts again with the
// previous plan and the change, and the old proposal is superseded by the new one; pending
// proposals expire after 24 h. Bypass prefixes deploy at once, except when the plan is invalid or
// has sensitive actions: those need the user's explicit approval whatever the prefix.
import type { Clock, TimerHandle } from '../../../core/clock.ts';
import { errorText } from '../deadline.ts';
import { draftPipeline, type PipelineDeps, type PipelineDraft } from '../pipeline/pipeline-planner.ts';
import type { PlannerOutcome, PlansPort, ReplyContext, SpawnPort } from '../ports.ts';
import { deployRule } from '../rules/deploy.ts';
import type { RulesManager } from '../rules/rules-manager.ts';
import { newRuleId } from '../rules/rule.ts';
import { formatRule } from '../rules/rule-format.ts';
import { formatProposal, formatProposalList } from './proposal-format.ts';
import type { ProposalStore } from './proposal-store.ts';
import { newPlanId, PROPOSAL_TTL_MS, transition, type Proposal, type ProposalEvent, type ProposalView } from './proposal.ts';
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
}

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

  async approve(id: string): Promise<PlannerOutcome> {
    this.expireDue();
    const p = this.#o.store.get(id);
    if (!p) return { kind: 'error', text: `There is no plan ${id}. /plans lists them.` };
    return this.#approve(p, true);
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
    const draft = await draftPipeline(request, this.#o.pipeline, { previous: old.plan, correction, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    if (draft.kind === 'refused') return { kind: 'refused', text: `${draft.text}\nPlan ${id} is still pending as it was.`, errors: draft.errors };
    const next = this.#record(request, draft, { ...ctx, conversationId: old.conversationId ?? ctx.conversationId, userId: old.requestedBy ?? ctx.userId }, old.id);
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
        return this.#approve(pending, true);
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

  #record(request: string, draft: Extract<PipelineDraft, { kind: 'draft' }>, ctx: ReplyContext, supersedes?: string): Proposal {
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

  async #approve(p: Proposal, confirmed: boolean): Promise<PlannerOutcome> {
    if (this.#approving.has(p.id)) return { kind: 'error', text: `Plan ${p.id} is being approved already.` };
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
}

function waitingText(pending: ProposalView, notDone: string): string {
  return (
    `⚠️ Plan ${pending.id} ("${pending.plan.title}") is still waiting for your answer; approve it with /plans approve ${pending.id} or reject it with /plans reject ${pending.id}. ` +
    `${notDone}: answer the plan first (or change it: "make it ..."), then ask again.`
  );
}
