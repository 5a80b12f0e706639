// Main's own conversation (the OTHER route): one persisted, rolling LlmConversation per user
// conversation, streamed through the block filter so the user reads prose while <spawn>,
// <delete> and <delegate> blocks are hidden, then executed once the answer is complete. The
// model's memory keeps the blocks it wrote (so it knows what it spawned); the user sees results.
import type { Logger } from '../../../logger.ts';
import { LlmConversation, type ConversationStore, type LlmService, type Summary } from '../../../llm/index.ts';
import { parseAgentBlocks } from '../../spawn-config/parse-blocks.ts';
import type { IntentAnswer, IntentContext } from '../intents.ts';
import { executeBlocks, type BlockExecutorDeps, type BlockRun } from './block-executor.ts';
import { BlockFilter } from './block-filter.ts';
import { AGENT_TOOLS, RESTRICTED_TOOLS, TOOL_PROVIDERS, runToolCalls } from './tool-calls.ts';
import { isRestricted, viaOf } from '../trust.ts';
import type { ToolCall } from '../../../llm/messages.ts';

/** Rounds of tool calls one answer may make before main stops and reports. */
const MAX_TOOL_ROUNDS = 3;

export interface MainConversationDeps {
  llm: LlmService;
  store: ConversationStore;
  /** Restricted turns (trust.ts) get a prompt without memory and without the spawn format. */
  systemPrompt: (restricted: boolean) => string;
  blocks: BlockExecutorDeps;
  logger?: Logger;
  /** Conversations kept in memory; others reload from SQLite when they speak again. */
  maxCached?: number;
}

export class MainConversations {
  readonly #deps: MainConversationDeps;
  readonly #cache = new Map<string, LlmConversation>();

  constructor(deps: MainConversationDeps) {
    this.#deps = deps;
  }

  #get(key: string, restricted = false): LlmConversation {
    const cacheKey = restricted ? `restricted:${key}` : key;
    let conv = this.#cache.get(cacheKey);
    if (conv) {
      // Re-insert: Map order is the eviction order, least recently used first.
      this.#cache.delete(cacheKey);
    } else {
      conv = new LlmConversation({
        id: `main/${key}`,
        llm: this.#deps.llm,
        store: this.#deps.store,
        agent: 'main',
        callSite: 'conversation',
        system: () => this.#deps.systemPrompt(restricted),
        ...(this.#deps.logger ? { logger: this.#deps.logger } : {}),
      });
    }
    this.#cache.set(cacheKey, conv);
    const max = this.#deps.maxCached ?? 200;
    while (this.#cache.size > max) this.#cache.delete(this.#cache.keys().next().value!);
    return conv;
  }

  /** Forgets what main remembers of this conversation (the transcript is kept). */
  clear(key: string): void {
    this.#get(key).clear();
  }

  summaries(key: string): readonly Summary[] {
    return this.#get(key).summaries();
  }

  messageCount(key: string): number {
    return this.#get(key).messages().length;
  }

  /** One exchange: streams the prose, then runs the blocks and appends their results. */
  async answer(key: string, conversationId: string, text: string, ctx: IntentContext): Promise<IntentAnswer> {
    const restricted = isRestricted(ctx.turn);
    const conv = this.#get(key, restricted);
    const filter = new BlockFilter();
    let full = '';
    let shownAny = false;
    let failure: string | undefined;
    const calls: ToolCall[] = [];
    const tools = this.#toolsAvailable() ? (restricted ? RESTRICTED_TOOLS : AGENT_TOOLS) : undefined;
    try {
      for await (const ev of conv.stream(text, { signal: ctx.signal, ...(tools ? { tools } : {}) })) {
        if (ev.type === 'tool_call') calls.push(ev.call);
        if (ev.type !== 'text') continue;
        full += ev.text;
        const shown = filter.push(ev.text);
        if (shown) {
          shownAny = true;
          ctx.emit({ type: 'delta', text: shown });
        }
      }
    } catch (err) {
      failure = err instanceof Error ? err.message : String(err);
    }
    const rest = filter.end();
    if (rest) {
      shownAny = true;
      ctx.emit({ type: 'delta', text: rest });
    }

    if (failure !== undefined) {
      if (ctx.signal.aborted) return { text: '', agent: 'main' };
      return { text: shownAny ? `\n\n⚠️ The answer was cut off: ${failure}` : `I could not get an answer from the LLM: ${failure}`, agent: 'main' };
    }

    const via = viaOf(ctx.turn);
    const run: BlockRun = { conversationId, signal: ctx.signal, emit: ctx.emit, ...(via ? { via } : {}) };
    if (calls.length > 0) return this.#finishToolCalls(conv, calls, shownAny, run, ctx);
    const blocks = parseAgentBlocks(full);
    const count = blocks.spawns.length + blocks.deletes.length + blocks.delegates.length;
    if (count === 0) return { text: shownAny ? '' : '(no answer)', agent: 'main' };
    const lines = await executeBlocks(blocks, this.#deps.blocks, run);
    return { text: `${shownAny ? '\n\n' : ''}${lines.join('\n')}`, agent: 'main' };
  }

  /** Tools only where the conversation's provider takes them; blocks work everywhere. */
  #toolsAvailable(): boolean {
    try {
      return TOOL_PROVIDERS.has(this.#deps.llm.route({ callSite: 'conversation' }).provider);
    } catch {
      return false;
    }
  }

  /** Runs the model's tool calls, hands it the results, and lets it finish its answer (a few rounds at most). */
  async #finishToolCalls(conv: LlmConversation, first: ToolCall[], shownAny: boolean, run: Parameters<typeof runToolCalls>[2], ctx: IntentContext): Promise<IntentAnswer> {
    const lines: string[] = [];
    let calls = first;
    for (let round = 0; round < MAX_TOOL_ROUNDS && calls.length > 0; round++) {
      const done = await runToolCalls(calls, this.#deps.blocks, run);
      lines.push(...done.lines);
      try {
        const next = await conv.sendToolResults(done.results, { signal: ctx.signal, tools: run.via ? RESTRICTED_TOOLS : AGENT_TOOLS });
        if (next.text) ctx.emit({ type: 'delta', text: `${shownAny ? '\n\n' : ''}${next.text}` });
        shownAny ||= next.text.length > 0;
        calls = next.toolCalls;
      } catch (err) {
        lines.push(`⚠️ The answer after the tool calls was cut off: ${err instanceof Error ? err.message : String(err)}`);
        calls = [];
      }
    }
    if (calls.length > 0) lines.push(`⚠️ Stopped after ${MAX_TOOL_ROUNDS} rounds of tool calls; ${calls.length} more were not run.`);
    return { text: lines.length ? `\n\n${lines.join('\n')}` : shownAny ? '' : '(no answer)', agent: 'main' };
  }
}
