// One orchestrator turn for a tool call: the ChatService's events collected into what an MCP
// client can use (the reply, what main did on the way, proposals), and the approval guard. Each
// call is a fresh conversation, so a question the turn asks (confirming a lock, approving a plan)
// waits for a person in the panel and never for the client's next call.
import { randomBytes } from 'node:crypto';
import type { ChatEvent } from '../../contract/chat.ts';
import type { Plan } from '../../contract/plans.ts';
import { ServiceError } from '../../contract/service-error.ts';
import type { ChatService, RequestContext } from '../../contract/services.ts';
import { parseInput } from '../../agents/main/routing/parse-input.ts';

export interface TurnResult {
  reply: string;
  agent: string;
  route: string;
  conversation_id: string;
  /** Calls main made on the way (an agent's task, a spawn, a service call), with their outcome. */
  activity: { kind: string; name: string; ok: boolean; text: string }[];
  proposals: Plan[];
}

/**
 * Refuses what would approve a plan or deploy without one: MCP clients are programs (often an
 * LLM), and the rule is that approval stays with a person. The rest of the owner's API
 * channel stays open. Returns the refusal, or undefined when the text may run.
 */
export function approvalRefusal(text: string): string | undefined {
  const parsed = parseInput(text);
  const approves = parsed.kind === 'slash' && parsed.command === 'plans' && parsed.args[0]?.toLowerCase() === 'approve';
  const bypasses = (parsed.kind === 'mention' || parsed.kind === 'prefix') && parsed.bypass;
  if (!approves && !bypasses) return undefined;
  return 'Approving a plan (or deploying without one, "!") is for a person, in the Wactorz panel or the CLI; MCP clients may propose rules but not approve them.';
}

export async function runTurn(chat: ChatService | undefined, text: string, ctx: RequestContext, agent?: string): Promise<TurnResult> {
  if (!chat) throw new ServiceError('unavailable', 'Chat is not available yet');
  const refusal = approvalRefusal(text);
  if (refusal) throw new ServiceError('forbidden', refusal);
  const conversationId = `mcp-${randomBytes(9).toString('base64url')}`;
  const result: TurnResult = { reply: '', agent: agent ?? 'main', route: 'other', conversation_id: conversationId, activity: [], proposals: [] };
  let done = false;
  for await (const ev of chat.process(text, { ...ctx, conversationId, agent, channel: 'api' })) collect(result, ev, () => (done = true));
  if (!done) throw new Error('The turn ended without an answer');
  return result;
}

function collect(r: TurnResult, ev: ChatEvent, finished: () => void): void {
  switch (ev.type) {
    case 'tool':
      r.activity.push({ kind: 'tool', name: ev.agent ? `${ev.name} (${ev.agent})` : ev.name, ok: ev.ok, text: ev.text });
      break;
    case 'spawn':
    case 'delete':
      r.activity.push({ kind: ev.type, name: ev.name, ok: ev.ok, text: ev.text });
      break;
    case 'delegate':
      r.activity.push({ kind: 'delegate', name: ev.agent, ok: ev.ok, text: ev.text });
      break;
    case 'proposal':
      r.proposals.push(ev.plan);
      break;
    case 'error':
      throw new ServiceError('unavailable', ev.message);
    case 'done':
      r.reply = ev.reply;
      r.agent = ev.agent;
      r.route = ev.route;
      finished();
      break;
    default:
      break;
  }
}
