// Where an Anthropic request asks for prompt caching. Anthropic caches a prefix (tools, then
// system, then messages) only up to a block marked `cache_control`, at most 4 marks a request,
// and only when that prefix reaches the model's minimum length; a later request whose prefix is
// byte-identical up to a marked (or, looking back up to 20 blocks, an earlier written) boundary
// reads it at 0.1x the input price, the first one writes it at 1.25x.
// platform.claude.com/docs/en/build-with-claude/prompt-caching
//
// The marks: the system prompt (with the tools before it: shared by every conversation of the
// same kind), the end of the history before this turn's user message (the next turn repeats it;
// the user message itself carries the turn's context and is not repeated), and, in a turn's
// tool rounds, the newest block (the next round repeats the turn so far).
import type Anthropic from '@anthropic-ai/sdk';
import { IMAGE_TOKENS, TOOLS_OVERHEAD_TOKENS, estimateTextTokens } from '../estimate.ts';

type Block = Anthropic.ContentBlockParam;
type Param = { role: 'user' | 'assistant'; content: Block[] };
type Tool = Anthropic.Tool;

const EPHEMERAL = { type: 'ephemeral' } as const;

/**
 * The shortest cacheable prefix per model family (longest matching prefix wins), as Anthropic's
 * prompt-caching documentation lists it ("Cache limitations": 4,096 tokens for Opus 4.5/4.6 and
 * Haiku 4.5, 2,048 for Haiku 3/3.5, 1,024 for the Sonnets and the other models).
 * platform.claude.com/docs/en/build-with-claude/prompt-caching#cache-limitations
 *
 * Marks go by this table even where a model may need more: a mark under the real minimum is
 * simply not cached (no error, no charge), while a missing mark loses the discount. Sonnet 4.6
 * is the case in point: documented at 1,024, but observed caching only from about 2,048 by users
 * (anthropics/anthropic-sdk-python#1194; BerriAI/litellm-docs#49, on Bedrock) and listed at
 * 2,048 by some gateways. Marking from 1,024 costs nothing if they are right and keeps the
 * discount if the documentation is. Models not listed get the lowest known minimum, for the
 * same reason. The caching benchmark measures Sonnet 4.6 both ways (fake-llm/cache.ts).
 */
const MINIMUMS: readonly [prefix: string, tokens: number][] = [
  ['claude-opus-4-6', 4096],
  ['claude-opus-4-5', 4096],
  ['claude-haiku-4-5', 4096],
  // Documented; 2,048 reported (above). Listed so that the choice is not undone by accident.
  ['claude-sonnet-4-6', 1024],
  ['claude-3-5-haiku', 2048],
  ['claude-3-haiku', 2048],
  ['claude-haiku-3', 2048],
  ['claude-', 1024],
];

export function cacheMinimumTokens(model: string): number {
  const name = model.trim().toLowerCase();
  let best: [string, number] | undefined;
  for (const entry of MINIMUMS) if (name.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
  return best?.[1] ?? 1024;
}

/** Tokens of one content block, by the same estimate the budget uses (it errs high). */
function blockTokens(block: Block): number {
  switch (block.type) {
    case 'text':
      return estimateTextTokens(block.text);
    case 'image':
      return IMAGE_TOKENS;
    case 'tool_use':
      return estimateTextTokens(block.name + JSON.stringify(block.input));
    case 'tool_result':
      return estimateTextTokens(typeof block.content === 'string' ? block.content : JSON.stringify(block.content ?? ''));
    default:
      return estimateTextTokens(JSON.stringify(block));
  }
}

function marked(block: Block): Block {
  return { ...block, cache_control: EPHEMERAL } as Block;
}

export interface CacheLayout {
  model: string;
  system: string | undefined;
  tools: Tool[] | undefined;
  messages: Param[];
  /**
   * Where the history before this turn ends in `messages`: the position of its last block
   * (undefined: no history, the turn starts the conversation).
   */
  historyEnd: { message: number; block: number } | undefined;
  /** The request continues the turn after its user message (tool rounds). */
  toolRound: boolean;
}

/** The request's system, tools and messages with cache marks where they can pay off. */
export function withCacheMarks(layout: CacheLayout): { system: string | Anthropic.TextBlockParam[] | undefined; tools: Tool[] | undefined; messages: Param[] } {
  const min = cacheMinimumTokens(layout.model);
  const toolTokens = layout.tools?.length ? TOOLS_OVERHEAD_TOKENS + estimateTextTokens(JSON.stringify(layout.tools)) : 0;
  const systemTokens = toolTokens + (layout.system ? estimateTextTokens(layout.system) : 0);
  let system: string | Anthropic.TextBlockParam[] | undefined = layout.system;
  let tools = layout.tools;
  if (systemTokens >= min) {
    if (layout.system) system = [{ type: 'text', text: layout.system, cache_control: EPHEMERAL }];
    else if (tools?.length) tools = tools.map((t, i) => (i === tools!.length - 1 ? { ...t, cache_control: EPHEMERAL } : t));
  }

  const messages = layout.messages.map((m) => ({ role: m.role, content: [...m.content] }));
  const at = (end: { message: number; block: number }) => {
    let tokens = systemTokens;
    for (let i = 0; i <= end.message; i++) {
      const content = messages[i]?.content ?? [];
      const upTo = i === end.message ? end.block : content.length - 1;
      for (let j = 0; j <= upTo; j++) tokens += blockTokens(content[j]);
    }
    return tokens;
  };
  const mark = (end: { message: number; block: number }) => {
    const content = messages[end.message]?.content;
    const block = content?.[end.block];
    if (content && block && at(end) >= min) content[end.block] = marked(block);
  };
  if (layout.historyEnd) mark(layout.historyEnd);
  const last = messages.length - 1;
  if (layout.toolRound && last >= 0) mark({ message: last, block: messages[last].content.length - 1 });
  return { system, tools, messages };
}
