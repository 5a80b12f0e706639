// Repairs a conversation history so that every provider accepts it. Run on load and before each
// call: one malformed entry (a crash mid-write, a bug, a hand edit) must never make a provider
// reject every later request, which is what happened in the original until someone ran
// fix_history.py. The rules:
// - entries that are not valid messages, and empty ones, are dropped;
// - an assistant tool call is kept only together with a result for each of its calls
//   (results in call order, right after it); orphan results are dropped;
// - the history starts with a user turn, and roles alternate: consecutive user turns, or
//   consecutive plain assistant turns, are merged into one.
import { LlmMessageSchema, type AssistantMessage, type ContentPart, type LlmMessage, type ToolMessage, type UserMessage } from '../messages.ts';

export interface SanitizeResult {
  messages: LlmMessage[];
  /** What was changed, for the log; empty when the history was already sound. */
  repairs: string[];
}

type Turn = { kind: 'user'; message: UserMessage } | { kind: 'assistant'; message: AssistantMessage } | { kind: 'tools'; call: AssistantMessage; results: ToolMessage[] };

export function sanitizeHistory(raw: readonly unknown[]): SanitizeResult {
  const repairs: string[] = [];
  const valid = parseAll(raw, repairs);
  const turns = pairTools(valid, repairs);
  const messages = alternate(turns, repairs);
  return { messages, repairs };
}

function parseAll(raw: readonly unknown[], repairs: string[]): LlmMessage[] {
  const out: LlmMessage[] = [];
  raw.forEach((entry, i) => {
    const parsed = LlmMessageSchema.safeParse(entry);
    if (!parsed.success) {
      repairs.push(`dropped entry ${i}: not a valid message`);
      return;
    }
    const m = cleaned(parsed.data);
    if (!m) {
      repairs.push(`dropped entry ${i}: empty ${parsed.data.role} message`);
      return;
    }
    out.push(m);
  });
  return out;
}

/** The message without empty parts, or undefined when nothing is left. */
function cleaned(m: LlmMessage): LlmMessage | undefined {
  switch (m.role) {
    case 'user': {
      if (typeof m.content === 'string') return m.content.trim() === '' ? undefined : m;
      const parts = m.content.filter((p) => p.type === 'image' || p.text.trim() !== '');
      return parts.length === 0 ? undefined : { role: 'user', content: parts };
    }
    case 'assistant': {
      const calls = m.toolCalls?.length ? m.toolCalls : undefined;
      if (m.content.trim() === '' && !calls) return undefined;
      return calls ? { role: 'assistant', content: m.content, toolCalls: calls } : { role: 'assistant', content: m.content };
    }
    case 'tool':
      return m;
  }
}

function pairTools(messages: LlmMessage[], repairs: string[]): Turn[] {
  const turns: Turn[] = [];
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (m.role === 'user') {
      turns.push({ kind: 'user', message: m });
      continue;
    }
    if (m.role === 'tool') {
      repairs.push(`dropped a tool result (${m.toolCallId}) that answers no tool call`);
      continue;
    }
    if (!m.toolCalls) {
      turns.push({ kind: 'assistant', message: m });
      continue;
    }
    const results = new Map<string, ToolMessage>();
    let j = i + 1;
    for (; j < messages.length && messages[j].role === 'tool'; j++) {
      const r = messages[j] as ToolMessage;
      if (m.toolCalls.some((c) => c.id === r.toolCallId) && !results.has(r.toolCallId)) results.set(r.toolCallId, r);
      else repairs.push(`dropped a tool result (${r.toolCallId}) that answers no tool call`);
    }
    i = j - 1;
    const ids = [...new Set(m.toolCalls.map((c) => c.id))];
    if (ids.length === m.toolCalls.length && ids.every((id) => results.has(id))) {
      turns.push({ kind: 'tools', call: m, results: m.toolCalls.map((c) => withName(results.get(c.id)!, c.name)) });
      continue;
    }
    repairs.push(`dropped tool call(s) ${m.toolCalls.map((c) => c.name).join(', ')} without complete results`);
    if (m.content.trim() !== '') turns.push({ kind: 'assistant', message: { role: 'assistant', content: m.content } });
  }
  return turns;
}

function withName(result: ToolMessage, name: string): ToolMessage {
  return result.name ? result : { ...result, name };
}

function alternate(turns: Turn[], repairs: string[]): LlmMessage[] {
  const out: LlmMessage[] = [];
  let leading = 0;
  for (const turn of turns) {
    const last = out.at(-1);
    if (!last && turn.kind !== 'user') {
      leading++;
      continue;
    }
    switch (turn.kind) {
      case 'user':
        if (last?.role === 'user') {
          out[out.length - 1] = { role: 'user', content: mergeContent(last.content, turn.message.content) };
          repairs.push('merged two consecutive user messages');
        } else out.push(turn.message);
        break;
      case 'assistant':
        if (last?.role === 'assistant' && !last.toolCalls) {
          out[out.length - 1] = { role: 'assistant', content: `${last.content}\n\n${turn.message.content}` };
          repairs.push('merged two consecutive assistant messages');
        } else out.push(turn.message);
        break;
      case 'tools':
        if (last?.role === 'assistant' && !last.toolCalls) {
          out[out.length - 1] = { role: 'assistant', content: joinText(last.content, turn.call.content), toolCalls: turn.call.toolCalls! };
          repairs.push('merged an assistant message into the tool call that followed it');
        } else out.push(turn.call);
        out.push(...turn.results);
        break;
    }
  }
  if (leading > 0) repairs.push(`dropped ${leading} turn(s) before the first user message`);
  return out;
}

function joinText(a: string, b: string): string {
  return [a, b].filter((t) => t.trim() !== '').join('\n\n');
}

function mergeContent(a: UserMessage['content'], b: UserMessage['content']): UserMessage['content'] {
  if (typeof a === 'string' && typeof b === 'string') return `${a}\n\n${b}`;
  const parts = (c: UserMessage['content']): ContentPart[] => (typeof c === 'string' ? [{ type: 'text', text: c }] : c);
  return [...parts(a), ...parts(b)];
}
