// The `llm` agent type: a conversational agent that is its system prompt. Each task is one user
// turn of a persisted, self-summarising conversation (LlmConversation), answered with the model's
// text; calls go through the LLM service as call site `agent` under the agent's name, so its cost
// is ledgered to it and budget refusals come back as failed tasks, not as a crashed agent.
// Exchanges are serialised by the mailbox (a conversation takes one exchange at a time).
import type { z } from 'zod';
import { Actor } from '../core/actor.ts';
import type { Message, TaskMessage } from '../core/messages.ts';
import { LlmConversation, type ConversationStore, type LlmService } from '../llm/index.ts';
import { TaskFailed, unwrapTask } from './dynamic/agent-task.ts';
import type { LlmSpawn } from './spawn-config/config-schema.ts';

export type LlmAgentConfig = z.output<typeof LlmSpawn>;

export interface LlmAgentOptions {
  config: LlmAgentConfig;
  llm: LlmService | undefined;
  conversations: ConversationStore;
}

/** Longest an exchange (with its retries and summarising) may hold the mailbox before heartbeat silence counts again. */
const EXCHANGE_LIMIT_MS = 180_000;

const TEXT_FIELDS = ['text', 'message', 'prompt', 'question', 'task', 'query'] as const;

export class LlmAgent extends Actor {
  readonly config: LlmAgentConfig;
  readonly #o: LlmAgentOptions;
  #conv: LlmConversation | undefined;

  constructor(options: LlmAgentOptions) {
    super({ name: options.config.name, id: options.config.name, kind: 'llm' });
    this.config = options.config;
    this.#o = options;
  }

  protected handle(msg: Message): unknown {
    switch (msg.type) {
      case 'task':
        return this.#answer(msg);
      case 'result':
      case 'error':
      case 'command':
      case 'event':
      case 'heartbeat':
        return undefined;
    }
  }

  async #answer(msg: TaskMessage): Promise<void> {
    const { llm } = this.#o;
    if (!llm) {
      this.reply(msg, new TaskFailed(`${this.name} cannot answer: no LLM is configured`));
      return;
    }
    const text = taskText(unwrapTask(msg.payload).payload);
    if (text === '') {
      this.reply(msg, new TaskFailed(`${this.name} got an empty task`));
      return;
    }
    const conversation = this.#conversation(llm);
    try {
      // One exchange at a time, holding the mailbox: alive meanwhile (core/README.md, "Slow work").
      const result = await this.tracked(conversation.send(text, { signal: this.signal }), EXCHANGE_LIMIT_MS);
      this.reply(msg, result.text);
      this.publish('agentCompleted', { id: this.id }, { ts: this.clock.now(), result_preview: result.text.slice(0, 200) });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.reportError(err, 'warning', 'llm');
      this.reply(msg, new TaskFailed(message, 'llm'));
    }
  }

  #conversation(llm: LlmService): LlmConversation {
    this.#conv ??= new LlmConversation({
      id: this.name,
      llm,
      store: this.#o.conversations,
      agent: this.name,
      system: this.config.system_prompt,
      callSite: 'agent',
    });
    return this.#conv;
  }
}

/** A task's text: a string, or the first text-like field of an object, or the object as JSON. */
export function taskText(payload: unknown): string {
  if (typeof payload === 'string') return payload.trim();
  if (payload !== null && typeof payload === 'object') {
    const record = payload as Record<string, unknown>;
    for (const key of TEXT_FIELDS) {
      const v = record[key];
      if (typeof v === 'string' && v.trim() !== '') return v.trim();
    }
  }
  return payload === undefined || payload === null ? '' : JSON.stringify(payload);
}
