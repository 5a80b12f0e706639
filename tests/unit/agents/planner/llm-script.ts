// Scripting the fake LLM by what the planner asks: the decomposition, a direct step answer, the
// synthesis, or a pipeline plan, told apart by the system prompt each call sends.
import type { FakeReply, FakeRequest } from '../../../helpers/fake-llm/index.ts';

export function systemOf(r: FakeRequest): string {
  const s = r.body.system;
  return typeof s === 'string' ? s : JSON.stringify(s ?? '');
}

export function userOf(r: FakeRequest): string {
  return JSON.stringify(r.body.messages ?? []);
}

export type CallKind = 'decompose' | 'direct' | 'synthesis' | 'pipeline' | 'other';

export function kindOf(r: FakeRequest): CallKind {
  const s = systemOf(r);
  if (s.includes('Decompose the user')) return 'decompose';
  if (s.includes('You carry out one step')) return 'direct';
  if (s.includes('You combine the results')) return 'synthesis';
  if (s.includes('You design reactive rules')) return 'pipeline';
  return 'other';
}

/** Answers each kind of call from a handler; records every request for assertions. */
export function byKind(handlers: Partial<Record<CallKind, (r: FakeRequest) => FakeReply>>): { fn: (r: FakeRequest) => FakeReply; calls: { kind: CallKind; request: FakeRequest }[] } {
  const calls: { kind: CallKind; request: FakeRequest }[] = [];
  return {
    calls,
    fn: (r) => {
      const kind = kindOf(r);
      calls.push({ kind, request: r });
      const h = handlers[kind];
      return h ? h(r) : { error: { status: 400, message: `no scripted answer for a ${kind} call` } };
    },
  };
}
