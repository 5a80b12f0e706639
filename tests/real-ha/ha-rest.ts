// HA's REST API as the real-HA suites drive it: a JSON answer or an error naming the call, an
// entity's state, a config flow step's result, and Assist's `conversation/process` with an agent.
import type { HaTarget } from '../helpers/ha-target.ts';

export interface FlowResult {
  type: string;
  flow_id?: string;
  step_id?: string;
  errors?: Record<string, string> | null;
  reason?: string;
  result?: { entry_id: string; title: string } | string;
}

export interface ProcessAnswer {
  response: { response_type: string; speech: { plain: { speech: string } } };
  conversation_id: string | null;
  continue_conversation?: boolean;
}

export async function json<T>(res: Response, what: string): Promise<T> {
  const body = await res.text();
  if (!res.ok) throw new Error(`${what} answered ${res.status}: ${body}`);
  return JSON.parse(body) as T;
}

/** "Add integration" for `handler`, as the dialog starts it: the first step's form. */
export async function startFlow(t: HaTarget, handler: string): Promise<FlowResult> {
  return json<FlowResult>(await t.api('config/config_entries/flow', { method: 'POST', body: JSON.stringify({ handler, show_advanced_options: false }) }), `starting the ${handler} config flow`);
}

/** The form of a flow's current step submitted with `data`. */
export async function flowStep(t: HaTarget, flow: FlowResult, data: Record<string, unknown>, what: string): Promise<FlowResult> {
  return json<FlowResult>(await t.api(`config/config_entries/flow/${flow.flow_id}`, { method: 'POST', body: JSON.stringify(data) }), what);
}

export async function stateOf(t: HaTarget, entityId: string): Promise<string | undefined> {
  const res = await t.api(`states/${entityId}`);
  return res.ok ? ((await res.json()) as { state: string }).state : undefined;
}

/** Assist's own REST door, with `agentId` as the conversation agent. */
export async function assist(t: HaTarget, agentId: string, text: string, conversationId?: string): Promise<ProcessAnswer> {
  const body = { text, language: 'en', agent_id: agentId, ...(conversationId ? { conversation_id: conversationId } : {}) };
  return json<ProcessAnswer>(await t.api('conversation/process', { method: 'POST', body: JSON.stringify(body) }), `POST /api/conversation/process "${text}"`);
}
