// Main's own conversation (the OTHER route): one persisted, rolling LlmConversation per user
// conversation, streamed through the block filter so the user reads prose while <spawn>,
// <delete> and <delegate> blocks are hidden, then executed once the answer is complete. The
// model's memory keeps the blocks it wrote (so it knows what it spawned); the user sees results.
import type { Logger } from '../../../logger.ts';
import { LlmConversation, type ConversationStore, type LlmService, type Summary } from '../../../llm/index.ts';
import { parseAgentBlocks } from '../../spawn-config/parse-blocks.ts';
import type { HomeContext, IntentAnswer, IntentContext, IntentHandlers } from '../intents.ts';
import type { RouteKind } from '../events.ts';
import { BUILD_AGENT_RESULT, BUILD_AGENT_TOOL, homePrompt, isHomeTool, oneCallTools, runHomeCall } from './home-tools.ts';
import { executeBlocks, type BlockExecutorDeps, type BlockRun } from './block-executor.ts';
import { BlockFilter } from './block-filter.ts';
import { languageNote } from './language.ts';
import { AGENT_TOOLS, RESTRICTED_TOOLS, TOOL_PROVIDERS, runToolCalls } from './tool-calls.ts';
import { isRestricted, viaOf } from '../trust.ts';
import type { ToolCall, ToolMessage } from '../../../llm/messages.ts';

/** Rounds of tool calls one answer may make before main stops and reports. */
const MAX_TOOL_ROUNDS = 3;

export interface MainConversationDeps {
  llm: LlmService;
  store: ConversationStore;
  /** Restricted turns (trust.ts) get a prompt without memory and without the spawn format. */
  systemPrompt: (restricted: boolean, oneCall?: boolean) => string;
  blocks: BlockExecutorDeps;
  logger?: Logger;
  /** Conversations kept in memory; others reload from SQLite when they speak again. */
  maxCached?: number;
}

/** Main's one-call turn (home-tools.ts): the handlers its tools reach and the home the request names. */
export interface HomeTurn {
  intents: IntentHandlers;
  context: HomeContext;
}

export interface ConversationAnswer extends IntentAnswer {
  /** Where a home tool took the turn (actuate, pipeline, ha); absent: main answered itself. */
  route?: RouteKind;
  /** The one-call turn got no answer from the model and showed nothing: the caller may route another way. */
  failed?: boolean;
}

export class MainConversations {
  readonly #deps: MainConversationDeps;
  readonly #cache = new Map<string, LlmConversation>();
  /**
   * The one-call exchange under way, by conversation: its context (the home map, the language)
   * and whether build_agent has asked for the full prompt (agent format, SDK reference).
   */
  readonly #turnPrompt = new Map<string, { home?: string; language?: string; full: boolean }>();

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
        // The system prompt stays the same from turn to turn (a provider's prefix cache keeps
        // it and the history after it); what this turn alone needs (the home map for this
        // request, its language) goes in front of the newest user message and is not saved.
        system: () => {
          const t = this.#turnPrompt.get(cacheKey);
          return this.#deps.systemPrompt(restricted, t?.home !== undefined && !t.full);
        },
        context: () => {
          const t = this.#turnPrompt.get(cacheKey);
          return [t?.home, t?.language].filter(Boolean).join('\n\n') || undefined;
        },
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
  async answer(key: string, conversationId: string, text: string, ctx: IntentContext, home?: HomeTurn): Promise<ConversationAnswer> {
    const restricted = isRestricted(ctx.turn);
    const conv = this.#get(key, restricted);
    const cacheKey = restricted ? `restricted:${key}` : key;
    const language = languageNote(ctx.turn.language);
    const turn = home || language ? { ...(home ? { home: homePrompt(home.context) } : {}), ...(language ? { language } : {}), full: false } : undefined;
    if (turn) this.#turnPrompt.set(cacheKey, turn);
    try {
      return await this.#answer(conv, conversationId, text, ctx, restricted, home, turn);
    } finally {
      this.#turnPrompt.delete(cacheKey);
    }
  }

  async #answer(conv: LlmConversation, conversationId: string, text: string, ctx: IntentContext, restricted: boolean, home: HomeTurn | undefined, turn: { full: boolean } | undefined): Promise<ConversationAnswer> {
    const filter = new BlockFilter();
    let full = '';
    let shownAny = false;
    let failure: string | undefined;
    const calls: ToolCall[] = [];
    const agentTools = restricted ? RESTRICTED_TOOLS : AGENT_TOOLS;
    const tools = home ? oneCallTools(restricted) : this.toolsAvailable() ? agentTools : undefined;
    try {
      // A photo sent with the message goes to the model with it, for this exchange only.
      const images = ctx.turn.images ?? [];
      const content = images.length > 0 ? [{ type: 'text' as const, text }, ...images] : text;
      for await (const ev of conv.stream(content, { signal: ctx.signal, forgetImages: true, ...(tools ? { tools } : {}) })) {
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
      if (home && !shownAny) return { text: '', agent: 'main', failed: true };
      return { text: shownAny ? `\n\n⚠️ The answer was cut off: ${failure}` : `I could not get an answer from the LLM: ${failure}`, agent: 'main' };
    }

    const via = viaOf(ctx.turn);
    const run: BlockRun = { conversationId, signal: ctx.signal, emit: ctx.emit, ...(via ? { via } : {}) };
    if (home && turn && !restricted && calls.some((c) => c.name === BUILD_AGENT_TOOL.name)) return this.#buildAgent(conv, calls, shownAny, run, ctx, home, text, turn);
    if (home && calls.some(isHomeTool)) return this.#finishHomeCalls(conv, calls, shownAny, run, ctx, home, text);
    if (calls.length > 0) return this.#finishToolCalls(conv, calls, shownAny, run, ctx);
    const blocks = parseAgentBlocks(full);
    const count = blocks.spawns.length + blocks.deletes.length + blocks.delegates.length;
    if (count === 0) return { text: shownAny ? '' : '(no answer)', agent: 'main' };
    const lines = await executeBlocks(blocks, this.#deps.blocks, run);
    return { text: `${shownAny ? '\n\n' : ''}${lines.join('\n')}`, agent: 'main' };
  }

  /**
   * Runs a one-call turn's tools: the home tools through their handlers, any agent tool through
   * the block executor, and ends the answer with what they said: no second model call.
   */
  async #finishHomeCalls(conv: LlmConversation, calls: ToolCall[], shownAny: boolean, run: BlockRun, ctx: IntentContext, home: HomeTurn, text: string): Promise<ConversationAnswer> {
    const results: ToolMessage[] = [];
    const texts: string[] = [];
    let route: RouteKind | undefined;
    let agent = 'main';
    for (const call of calls) {
      if (isHomeTool(call)) {
        const done = await runHomeCall(call, home.intents, text, ctx);
        results.push(done.result);
        if (done.answer.text) texts.push(done.answer.text);
        route ??= done.route;
        if (agent === 'main') agent = done.answer.agent;
      } else {
        const done = await runToolCalls([call], this.#deps.blocks, run);
        results.push(...done.results);
        texts.push(...done.lines);
      }
    }
    const reply = texts.join('\n');
    conv.recordToolResults(results, reply);
    return { text: `${shownAny && reply ? '\n\n' : ''}${reply}`, agent, ...(route ? { route } : {}) };
  }

  /**
   * build_agent: the other calls of the answer run, the full prompt (agent format, SDK reference)
   * and the spawn tools are handed over, and the model goes on in the usual tool rounds.
   */
  async #buildAgent(conv: LlmConversation, calls: ToolCall[], shownAny: boolean, run: BlockRun, ctx: IntentContext, home: HomeTurn, text: string, turn: { full: boolean }): Promise<ConversationAnswer> {
    const results: ToolMessage[] = [];
    const lines: string[] = [];
    for (const call of calls) {
      if (call.name === BUILD_AGENT_TOOL.name) {
        results.push({ role: 'tool', toolCallId: call.id, name: call.name, content: BUILD_AGENT_RESULT });
      } else if (isHomeTool(call)) {
        const done = await runHomeCall(call, home.intents, text, ctx);
        results.push(done.result);
        if (done.answer.text) lines.push(done.answer.text);
      } else {
        const done = await runToolCalls([call], this.#deps.blocks, run);
        results.push(...done.results);
        lines.push(...done.lines);
      }
    }
    turn.full = true;
    const before = lines.length ? `${shownAny ? '\n\n' : ''}${lines.join('\n')}` : '';
    if (before) ctx.emit({ type: 'delta', text: before });
    shownAny ||= before.length > 0;
    let next;
    try {
      next = await conv.sendToolResults(results, { signal: ctx.signal, tools: AGENT_TOOLS });
    } catch (err) {
      return { text: `${shownAny ? '\n\n' : ''}⚠️ The answer was cut off: ${err instanceof Error ? err.message : String(err)}`, agent: 'main' };
    }
    if (next.text) ctx.emit({ type: 'delta', text: `${shownAny ? '\n\n' : ''}${next.text}` });
    shownAny ||= next.text.length > 0;
    if (next.toolCalls.length === 0) return { text: shownAny ? '' : '(no answer)', agent: 'main' };
    return this.#finishToolCalls(conv, next.toolCalls, shownAny, run, ctx);
  }

  /** Tools only where the conversation's provider takes them; blocks work everywhere. */
  toolsAvailable(): boolean {
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
