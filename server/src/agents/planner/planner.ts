// The planner the orchestrator calls: each request runs in its own PlannerJob actor (task mode,
// pipeline mode, or an edit of a running rule), bounded by an overall deadline, and the actor is
// deleted when it settles.
import type { ActorSystem } from '../../core/system.ts';
import { errorText } from './deadline.ts';
import { looksReactive } from './mode.ts';
import type { PlannerOutcome, PlannerRequest, Planner as PlannerPort } from './ports.ts';
import { PlannerJob } from './planner-job.ts';
import type { PlansManager } from './proposals/plans-manager.ts';
import { runTask, type TaskPlannerDeps } from './task/task-planner.ts';

export const DEFAULT_PLANNER_DEADLINE_MS = 180_000;

export interface PlannerOptions {
  system: ActorSystem;
  plans: PlansManager;
  task: TaskPlannerDeps;
  deadlineMs?: number;
}

export class Planner implements PlannerPort {
  readonly #o: PlannerOptions;
  #seq = 0;

  constructor(options: PlannerOptions) {
    this.#o = options;
  }

  async handle(request: PlannerRequest): Promise<PlannerOutcome> {
    const pipeline = request.mode === 'pipeline' || (request.mode === 'auto' && looksReactive(request.text));
    const name = `planner-${(++this.#seq).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const work = async (signal: AbortSignal): Promise<PlannerOutcome> => {
      const linked = request.signal ? AbortSignal.any([signal, request.signal]) : signal;
      const who = { ...(request.conversationId !== undefined ? { conversationId: request.conversationId } : {}), ...(request.userId !== undefined ? { userId: request.userId } : {}) };
      // A rule request that names a running rule and asks to change it is an edit of that rule.
      const edit = request.editOf !== undefined ? { kind: 'edit' as const, ruleId: request.editOf } : pipeline ? this.#o.plans.editTarget(request.text, who, { explicit: true }) : undefined;
      if (edit?.kind === 'answer') return { kind: 'refused', text: edit.text, errors: [] };
      if (edit) return this.#o.plans.proposeEdit(edit.ruleId, request.text, { signal: linked, ...who });
      if (pipeline) {
        return this.#o.plans.propose(request.text, {
          signal: linked,
          ...(request.bypassApproval ? { bypassApproval: true } : {}),
          ...(request.conversationId !== undefined ? { conversationId: request.conversationId } : {}),
          ...(request.userId !== undefined ? { userId: request.userId } : {}),
        });
      }
      const answer = await runTask(request.text, this.#o.task, linked, name);
      return { kind: 'answer', text: answer.text, steps: answer.steps, cached: answer.cached };
    };
    const { system } = this.#o;
    try {
      return await new Promise<PlannerOutcome>((resolve) => {
        const deadlineMs = this.#o.deadlineMs ?? DEFAULT_PLANNER_DEADLINE_MS;
        const job = new PlannerJob({ name }, { work, deadlineMs, settle: resolve });
        system.spawn(job).catch((err: unknown) => resolve({ kind: 'error', text: `The planner could not start: ${errorText(err)}` }));
      });
    } finally {
      await system.deleteActor(name);
    }
  }
}
