// Slash commands: answered without any LLM call. Each group lives in its own file and registers
// here; the registry dispatches by name and turns a wrong use into the command's usage line, so
// every command teaches its own syntax.
import type { ActorSystem } from '../../../core/system.ts';
import type { TopicRegistry } from '../../../bus/topic-bus/registry.ts';
import type { LlmService } from '../../../llm/index.ts';
import type { Identity } from '../../../contract/identity.ts';
import type { RequestContext } from '../../../contract/services.ts';
import type { AgentSpawner } from '../../spawner/agent-spawner.ts';
import type { MainConversations } from '../conversation/main-conversation.ts';
import type { RouteEvent } from '../events.ts';
import type { FactsStore } from '../memory/facts-store.ts';
import type { WebhookStore } from '../memory/webhook-store.ts';
import type { WebhookStats } from '../../../interfaces/webhooks/sender.ts';
import type { MemoryService, PlansService, RulesService } from '../../../contract/services.ts';
import type { NodesSource } from '../parts.ts';
import type { GrantQuestions } from '../grant-questions.ts';
import { isRestricted, ownerOnly } from '../trust.ts';
import type { TurnContext } from '../turn-context.ts';

/** What commands may use: the orchestrator's own parts, handed over when it is built. */
export interface CommandDeps {
  system: ActorSystem;
  llm: LlmService;
  /** The configured budget fallback model, shown by /budget. */
  fallbackModel: string | undefined;
  spawner: AgentSpawner | undefined;
  rules: RulesService;
  plans: PlansService;
  nodes: NodesSource;
  topics: TopicRegistry | undefined;
  facts: FactsStore;
  /** Forget and clear go through the API's memory service, so an open Memory view hears of them. */
  memory: MemoryService;
  webhooks: WebhookStore;
  /** What the webhook sender counted for one webhook since the start (undefined: nothing yet). */
  webhookStats: (name: string) => WebhookStats | undefined;
  conversations: MainConversations | undefined;
  /** Where /agents grant waits for the owner's yes (absent: grants are refused in chat). */
  grantQuestions?: GrantQuestions;
  /** Every command, for /help. */
  commands(): readonly SlashCommand[];
}

export interface CommandContext {
  turn: TurnContext;
  /** The internal key of the turn's conversation. */
  conversationKey: string;
  signal: AbortSignal;
  args: string[];
  /** Everything after the command name, as typed. */
  rest: string;
  emit: (event: RouteEvent) => void;
  deps: CommandDeps;
}

export interface SlashCommand {
  name: string;
  aliases?: readonly string[];
  /** One line per form, e.g. "/agents [filter]". The first is what /help shows. */
  usage: readonly string[];
  summary: string;
  /**
   * True for a use that only reads what any agent may see, so it may run on a restricted channel
   * (trust.ts). Absent: the command is the owner's alone.
   */
  readOnly?(args: readonly string[]): boolean;
  run(ctx: CommandContext): Promise<string>;
}

/** A wrong use: the registry answers with the command's usage (and this reason, if any). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function usage(reason?: string): never {
  throw new UsageError(reason ?? '');
}

/** The HTTP services' request context for a chat turn (rules/plans act on the user's behalf). */
export function requestContextOf(ctx: CommandContext): RequestContext {
  const identity: Identity = { userId: ctx.turn.user.id, userName: ctx.turn.user.name ?? null, displayName: ctx.turn.user.name ?? null, via: 'local' };
  return { identity, signal: ctx.signal };
}

export class CommandRegistry {
  readonly #byName = new Map<string, SlashCommand>();
  readonly #list: SlashCommand[] = [];

  register(...commands: SlashCommand[]): this {
    for (const c of commands) {
      for (const n of [c.name, ...(c.aliases ?? [])]) {
        if (this.#byName.has(n)) throw new Error(`Two slash commands are named /${n}`);
        this.#byName.set(n, c);
      }
      this.#list.push(c);
    }
    return this;
  }

  list(): readonly SlashCommand[] {
    return this.#list;
  }

  get(name: string): SlashCommand | undefined {
    return this.#byName.get(name.toLowerCase());
  }

  /** Runs a command; unknown names and wrong uses become helpful answers, not errors. */
  async run(name: string, ctx: CommandContext): Promise<string> {
    const command = this.get(name);
    if (!command) return `Unknown command /${name}. /help lists the commands.`;
    if (isRestricted(ctx.turn) && command.readOnly?.(ctx.args) !== true) return ownerOnly(ctx.turn, `/${command.name}${ctx.args.length ? ` ${ctx.args[0].slice(0, 40)}` : ''}`);
    try {
      return await command.run(ctx);
    } catch (err) {
      if (err instanceof UsageError) return formatUsage(command, err.message);
      throw err;
    }
  }
}

export function formatUsage(command: SlashCommand, reason?: string): string {
  const forms = command.usage.map((u) => `  ${u}`).join('\n');
  return `${reason ? `${reason}\n` : ''}Usage:\n${forms}`;
}
