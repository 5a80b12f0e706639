// Rolling summaries: the oldest half of a long history becomes a dense factual summary, and the
// chain of summaries is given to every later call ahead of the remaining messages, so facts
// outlive the context window. When the chain grows long, it is folded into one summary.
import type { LlmMessage } from '../messages.ts';
import { textOf } from '../messages.ts';
import type { Summary } from './store.ts';

export const SUMMARY_SYSTEM =
  'You compress conversation history for an assistant that will continue the conversation without seeing it. ' +
  'Write a dense, factual summary of at most 400 tokens: who asked for what, decisions taken, facts learned about the user and the home ' +
  '(names, devices, entity ids, numbers, preferences), actions performed and their results, and anything still pending. ' +
  'No greetings, no commentary, no speculation; keep exact identifiers and values.';

export function transcript(messages: readonly LlmMessage[]): string {
  return messages
    .map((m) => {
      switch (m.role) {
        case 'user': {
          const images = typeof m.content === 'string' ? 0 : m.content.filter((p) => p.type === 'image').length;
          return `User: ${textOf(m.content)}${images ? ` [${images} image(s)]` : ''}`;
        }
        case 'assistant': {
          const calls = (m.toolCalls ?? []).map((c) => `${c.name}(${JSON.stringify(c.arguments)})`).join(', ');
          return `Assistant: ${m.content}${calls ? ` [called ${calls}]` : ''}`;
        }
        case 'tool':
          return `Tool result${m.name ? ` (${m.name})` : ''}${m.isError ? ' [error]' : ''}: ${m.content}`;
      }
    })
    .join('\n');
}

/** The request text for summarising `messages`, folding `previous` summaries in when given. */
export function summaryRequest(messages: readonly LlmMessage[], previous: readonly Summary[]): string {
  const earlier = previous.length
    ? `Earlier summaries, oldest first (merge them into your summary):\n${previous.map((s, i) => `${i + 1}. ${s.text}`).join('\n')}\n\n`
    : '';
  return `${earlier}Conversation to summarise:\n${transcript(messages)}`;
}

/** What is prepended (in the system prompt) to every call of a summarised conversation. */
export function summaryContext(summaries: readonly Summary[]): string | undefined {
  if (summaries.length === 0) return undefined;
  const body = summaries.length === 1 ? summaries[0].text : summaries.map((s, i) => `${i + 1}. ${s.text}`).join('\n');
  return `Summary of the earlier conversation (oldest first; treat it as facts you remember):\n${body}`;
}

/**
 * Where to cut a history of which the oldest half should go: at or after the middle, on a user
 * message, so the kept part never starts inside a tool call/result pair. -1 when no cut is safe.
 */
export function cutPoint(messages: readonly LlmMessage[]): number {
  for (let i = Math.floor(messages.length / 2); i < messages.length; i++) {
    if (i > 0 && messages[i].role === 'user') return i;
  }
  return -1;
}
