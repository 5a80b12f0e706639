// The one-off actuator (seed §15): an ephemeral agent for one immediate device request. It asks
// the LLM to resolve the request into service calls (resolve.ts), checks that every entity and
// service exists, and executes, unless a call is sensitive (locks, alarm panels, garage/door
// covers): then it executes nothing and answers with a confirmation question; the caller keeps
// the calls and, after the user's "yes", starts a one-off with `confirmed: true` and those calls.
// It answers exactly one task, then ends; its caller removes it from the system.
import { Actor } from '../../../core/actor.ts';
import type { Message } from '../../../core/messages.ts';
import type { HaClient } from '../../../ha/client.ts';
import type { HaAction } from '../../../ha/action.ts';
import { friendlyName } from '../compact-map.ts';
import { sensitiveActions } from '../sensitive.ts';
import { entitiesOf, runActions, serviceName, unknownReferences, unreachableReason, type ActionOutcome } from '../service-calls.ts';
import { resolveCalls, type HaLlm, type Resolution } from './resolve.ts';

/**
 * A request to resolve, or calls already resolved: by main's one-call turn (`control_devices`,
 * still checked and confirmed here like the resolver's) or by the owner's "yes" (`confirmed`).
 */
export type OneOffRequest = { text: string } | { text: string; calls: HaAction[]; confirmed?: true };

export type OneOffResult =
  | { status: 'done'; text: string; calls: HaAction[]; outcomes: ActionOutcome[] }
  | { status: 'needs_confirmation'; text: string; calls: HaAction[]; sensitive: string[] }
  | { status: 'failed'; text: string; calls: HaAction[]; outcomes?: ActionOutcome[] };

export interface OneOffDeps {
  ha: HaClient;
  llm: HaLlm | undefined;
  callTimeoutMs?: number;
}

export class OneOffActuator extends Actor {
  #deps: OneOffDeps;
  #request: OneOffRequest;
  /** The task being answered; set once, the agent serves one request. */
  #asker: Message | undefined;
  #result: OneOffResult | undefined;

  constructor(name: string, request: OneOffRequest, deps: OneOffDeps) {
    super({ name, kind: 'one_off_actuator' });
    this.#request = request;
    this.#deps = deps;
  }

  get result(): OneOffResult | undefined {
    return this.#result;
  }

  protected handle(msg: Message): unknown {
    switch (msg.type) {
      case 'task':
        return this.#begin(msg);
      case 'error':
        // The LLM or HA work rejected (aborted, budget, provider down): the answer says so.
        return this.#finish({ status: 'failed', text: `I could not do that: ${msg.error.message}`, calls: [] });
      case 'command':
      case 'event':
      case 'result':
      case 'heartbeat':
        return undefined;
    }
  }

  #begin(msg: Message): undefined {
    if (this.#asker) return undefined;
    this.#asker = msg;
    const req = this.#request;
    if ('calls' in req) {
      this.#onResolved({ ok: true, calls: req.calls });
      return undefined;
    }
    const llm = this.#deps.llm;
    if (!llm) {
      this.#finish({ status: 'failed', text: 'No LLM is configured, so I cannot work out which devices you mean.', calls: [] });
      return undefined;
    }
    this.later(resolveCalls(llm, this.#deps.ha, req.text, { signal: this.signal, agent: 'one-off-actuator' }), (r) => this.#onResolved(r));
    return undefined;
  }

  #onResolved(resolution: Resolution): undefined {
    if (!resolution.ok) return this.#finish({ status: 'failed', text: resolution.error, calls: [] });
    const { calls } = resolution;
    const { ha } = this.#deps;
    // Every entity and service is checked before anything runs: no half-done request.
    const unknown = unknownReferences(ha, calls);
    if (unknown.length > 0) return this.#finish({ status: 'failed', text: `Nothing was done: ${unknown.join('; ')}.`, calls });
    const unreachable = unreachableReason(ha);
    if (unreachable) return this.#finish({ status: 'failed', text: `Nothing was done: ${unreachable}.`, calls });
    const confirmed = 'confirmed' in this.#request && this.#request.confirmed;
    const sensitive = sensitiveActions(calls, ha);
    if (sensitive.length > 0 && !confirmed) {
      const text = `This would ${describe(ha, calls)}. ${sensitive.length === 1 ? 'That is a security-sensitive action' : 'Those include security-sensitive actions'} (${sensitive.join(', ')}). Reply "yes" to go ahead or "no" to cancel.`;
      return this.#finish({ status: 'needs_confirmation', text, calls, sensitive });
    }
    this.later(runActions(ha, calls, { clock: this.clock, signal: this.signal, timeoutMs: this.#deps.callTimeoutMs }), (outcomes) => this.#finish(this.#done(calls, outcomes)));
    return undefined;
  }

  #done(calls: HaAction[], outcomes: ActionOutcome[]): OneOffResult {
    const ts = this.clock.now();
    for (const o of outcomes) if (o.status !== 'not_run') this.publish('agentActuations', { id: this.id }, { ts, agent: this.name, ...o });
    const failed = outcomes.find((o) => o.status === 'error');
    if (!failed) return { status: 'done', text: `Done: ${describe(this.#deps.ha, calls)}.`, calls, outcomes };
    const okCount = outcomes.filter((o) => o.status === 'ok').length;
    return { status: 'failed', text: `${okCount > 0 ? `Done ${okCount} of ${outcomes.length}, then ` : ''}${failed.service} failed: ${failed.error ?? 'unknown error'}`, calls, outcomes };
  }

  #finish(result: OneOffResult): undefined {
    this.#result = result;
    this.log(result.text, result.status === 'failed' ? 'warn' : 'info', result.status);
    if (this.#asker) this.reply(this.#asker, result);
    this.stopSelf();
    return undefined;
  }
}

/** "turn on Hallway Light and unlock Front Door Lock". */
export function describe(ha: Pick<HaClient, 'getState'>, calls: readonly HaAction[]): string {
  return calls
    .map((c) => {
      const names = entitiesOf(c).map((id) => friendlyName(ha, id));
      const areas = c.target?.area_id?.map((a) => `the ${a.replace(/_/g, ' ')} area`) ?? [];
      const what = [...names, ...areas];
      const verb = c.service.replace(/_/g, ' ');
      return what.length > 0 ? `${verb} ${what.join(', ')}` : serviceName(c);
    })
    .join(' and ');
}
