// Routing one message (issue "The orchestrator", "Routing a message"): slash commands with no
// LLM call; @mentions straight to the agent; explicit planner prefixes; otherwise one cheap
// classification into ACTUATE / HA / PIPELINE / RULES / OTHER, or, in the 'tools' routing mode with a
// provider that takes tools, one call to main's conversation with the home tools
// (conversation/home-tools.ts). With no LLM configured, what needs none still works and HA-like requests go to Home Assistant's own conversation agent.
import type { Clock } from '../../core/clock.ts';
import type { HaClient } from '../../ha/client.ts';
import type { LlmService } from '../../llm/index.ts';
import { formatAgentResult, type AgentGateway } from './agents/agent-gateway.ts';
import type { CommandDeps, CommandRegistry } from './commands/registry.ts';
import type { MainConversations } from './conversation/main-conversation.ts';
import type { RouteEvent, RouteKind } from './events.ts';
import { askHaAssist, type IntentAnswer, type IntentContext, type IntentHandlers, type PipelineOptions } from './intents.ts';
import { classifyIntent } from './routing/classifier.ts';
import { NO_LLM_ANSWER, looksLikeHaRequest } from './routing/no-llm.ts';
import { parseInput } from './routing/parse-input.ts';
import { isRestricted, ownerOnly, viaOf } from './trust.ts';
import type { TurnContext } from './turn-context.ts';

export interface RouterParts {
  clock: Clock;
  llm: LlmService;
  llmReady: () => boolean;
  ha: HaClient | undefined;
  intents: IntentHandlers;
  commands: CommandRegistry;
  commandDeps: CommandDeps;
  conversations: MainConversations;
  gateway: AgentGateway;
  /** Per conversation: the agent that the next message goes to, after a bare "@name". */
  sticky: Map<string, string>;
  classifierTimeoutMs?: number;
  /**
   * How plain text is routed when an LLM is ready: 'tools' (main's conversation with the home
   * tools and the relevant home map, one call; where the provider takes tools and the HA area is
   * there, else the classifier) or 'classifier' (one classifier call, then the handler). Default 'classifier'.
   */
  routing?: 'tools' | 'classifier';
}

export interface RouteRequest {
  /** The message with secrets masked (all that routes, LLMs and history ever see). */
  text: string;
  /** The message as typed: only /webhook reads it (it stores the URL as a secret). */
  raw: string;
  turn: TurnContext;
  key: string;
  signal: AbortSignal;
  emit: (event: RouteEvent) => void;
}

export interface Routed {
  route: RouteKind;
  agent: string;
  /** Plain text that reached an LLM route: worth extracting facts from. */
  natural: boolean;
}

export async function routeMessage(req: RouteRequest, parts: RouterParts): Promise<Routed> {
  const say = (text: string) => req.emit({ type: 'delta', text });
  const parsed = parseInput(req.text);

  if (parsed.kind === 'empty') {
    say('Say something, or /help for the commands.');
    return { route: 'slash', agent: 'main', natural: false };
  }
  if (parsed.kind === 'slash') {
    const { turn, key, signal, emit } = req;
    const secretArgs = parts.commands.get(parsed.command)?.name === 'webhook' ? parseInput(req.raw) : parsed;
    const { args, rest } = secretArgs.kind === 'slash' ? secretArgs : parsed;
    say(await parts.commands.run(parsed.command, { turn, conversationKey: key, signal, emit, args, rest, deps: parts.commandDeps }));
    return { route: 'slash', agent: 'main', natural: false };
  }

  // A target chosen outside the text: the API's `agent` field, or a bare "@name" last turn.
  const sticky = parts.sticky.get(req.key);
  const preset = req.turn.agent !== undefined && req.turn.agent !== 'main' ? req.turn.agent : sticky;
  if (parsed.kind === 'text' && preset !== undefined) {
    parts.sticky.delete(req.key);
    return mention(preset, parsed.message, false, req, parts);
  }
  if (parsed.kind === 'mention') return mention(parsed.agent, parsed.message, parsed.bypass, req, parts);
  if (parsed.kind === 'prefix') {
    if (parsed.message === '') {
      say(`Say what to ${parsed.prefix === 'pipeline' ? 'automate' : 'do'} after "${parsed.prefix}:", e.g. "${parsed.prefix}: ${parsed.prefix === 'pipeline' ? 'when the front door opens, notify my phone' : 'get the weather in Athens and summarise the news'}".`);
      return { route: 'pipeline', agent: 'main', natural: false };
    }
    return planner(parsed.message, { bypassApproval: parsed.bypass, mode: parsed.prefix === 'pipeline' ? 'pipeline' : 'task' }, req, parts);
  }
  return natural(parsed.message, false, req, parts);
}

function intentContext(req: RouteRequest): IntentContext {
  return { turn: req.turn, signal: req.signal, emit: req.emit };
}

async function answer(p: Promise<IntentAnswer>, req: RouteRequest): Promise<IntentAnswer> {
  const a = await p;
  if (a.text) req.emit({ type: 'delta', text: a.text });
  return a;
}

async function planner(text: string, options: PipelineOptions, req: RouteRequest, parts: RouterParts): Promise<Routed> {
  if (options.bypassApproval && isRestricted(req.turn)) {
    req.emit({ type: 'delta', text: ownerOnly(req.turn, 'Deploying without approval ("!")') });
    return { route: 'pipeline', agent: 'planner', natural: false };
  }
  const a = await answer(parts.intents.pipeline(text, intentContext(req), options), req);
  return { route: 'pipeline', agent: a.agent, natural: true };
}

async function mention(agent: string, message: string, bypass: boolean, req: RouteRequest, parts: RouterParts): Promise<Routed> {
  const say = (text: string) => req.emit({ type: 'delta', text });
  if (agent === 'main') {
    if (message === '') {
      say('I am listening: what should I do?');
      return { route: 'mention', agent: 'main', natural: false };
    }
    return natural(message, true, req, parts);
  }
  if (agent === 'planner') {
    if (message === '') {
      say('Tell the planner what to do, e.g. "@planner get the weather in Athens and the AI news, then combine them".');
      return { route: 'pipeline', agent: 'planner', natural: false };
    }
    return planner(message, { bypassApproval: bypass, mode: 'auto' }, req, parts);
  }
  if (message === '') {
    const known = await parts.gateway.knownNames();
    if (!known.includes(agent)) {
      const via = viaOf(req.turn);
      const r = await parts.gateway.deliver(agent, '', { origin: { by: 'user', userId: req.turn.user.id }, ...(via ? { via } : {}) });
      // Reached (a recipe spawned, say): the answer promises the next message goes there.
      if (r.ok) parts.sticky.set(req.key, agent);
      say(r.ok ? `Your next message goes to @${agent}.` : r.error);
      return { route: 'mention', agent, natural: false };
    }
    parts.sticky.set(req.key, agent);
    say(`Your next message goes to @${agent}.`);
    return { route: 'mention', agent, natural: false };
  }
  const payload = asPayload(message);
  const via = viaOf(req.turn);
  const r = await parts.gateway.deliver(agent, payload, { origin: { by: 'user', userId: req.turn.user.id }, signal: req.signal, from: 'main', ...(via ? { via } : {}) });
  if (r.ok) {
    if (r.spawned) {
      req.emit({ type: 'spawn', name: agent, ok: true, text: `${agent} spawned from the catalog.`, status: 'spawned' });
      say(`(Spawned ${agent} from the catalog${r.spawned.warnings.length ? `; notes: ${r.spawned.warnings.join('; ')}` : ''}.)\n\n`);
    }
    const text = formatAgentResult(r.result);
    req.emit({ type: 'tool', name: 'agent.task', ok: true, text, agent });
    say(text);
  } else {
    if (r.code !== 'unknown') req.emit({ type: 'tool', name: 'agent.task', ok: false, text: r.error, agent });
    say(r.error);
  }
  return { route: 'mention', agent, natural: false };
}

/** `@agent {"city": "Athens"}` sends the object; anything else is sent as text. */
function asPayload(message: string): unknown {
  if (!message.startsWith('{')) return message;
  try {
    const v: unknown = JSON.parse(message);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : message;
  } catch {
    return message;
  }
}

async function natural(text: string, direct: boolean, req: RouteRequest, parts: RouterParts): Promise<Routed> {
  const ctx = intentContext(req);
  const { intents } = parts;
  // Answers to questions (confirming a lock, approving a plan) are the owner's alone.
  if (!isRestricted(req.turn)) {
    for (const followUp of intents.followUps) {
      const claimed = await followUp(text, ctx);
      if (!claimed) continue;
      if (claimed.text) req.emit({ type: 'delta', text: claimed.text });
      return { route: 'followup', agent: claimed.agent, natural: true };
    }
  }

  if (!parts.llmReady()) {
    if (looksLikeHaRequest(text)) {
      const a = await askHaAssist(parts.ha, text, ctx, 'home-assistant');
      req.emit({ type: 'delta', text: a.understood ? a.text : `${a.text}\n\n${NO_LLM_ANSWER}` });
      return { route: 'actuate', agent: a.agent, natural: false };
    }
    req.emit({ type: 'delta', text: NO_LLM_ANSWER });
    return { route: 'no_llm', agent: 'main', natural: false };
  }

  // One call where the provider takes tools: main's conversation sees the home the request names
  // and acts through the same handlers. A failed call (nothing shown) is routed the classic way.
  if (parts.routing === 'tools' && intents.actuateCalls && intents.homeContext && parts.conversations.toolsAvailable()) {
    const home = { intents, context: intents.homeContext(text, req.turn.place) };
    const a = await parts.conversations.answer(req.key, req.turn.conversationId, text, ctx, home);
    if (!a.failed) {
      if (a.text) req.emit({ type: 'delta', text: a.text });
      return { route: a.route ?? 'other', agent: a.agent, natural: true };
    }
  }

  if (!direct) {
    const { intent } = await classifyIntent(text, { llm: parts.llm, clock: parts.clock, signal: req.signal, ...(parts.classifierTimeoutMs !== undefined ? { timeoutMs: parts.classifierTimeoutMs } : {}) });
    switch (intent) {
      case 'ACTUATE': {
        const a = await answer(intents.actuate(text, ctx), req);
        return { route: 'actuate', agent: a.agent, natural: true };
      }
      case 'HA': {
        const a = await intents.ha(text, ctx);
        if (!a.fallthrough) {
          if (a.text) req.emit({ type: 'delta', text: a.text });
          return { route: 'ha', agent: a.agent, natural: true };
        }
        break;
      }
      case 'PIPELINE':
        return planner(text, { bypassApproval: false, mode: 'pipeline' }, req, parts);
      case 'RULES': {
        // Traces answer it; a question naming no rule of ours (an HA automation?) goes on to main.
        const a = intents.explainRule ? await intents.explainRule(text, ctx) : undefined;
        if (a && !a.fallthrough) {
          if (a.text) req.emit({ type: 'delta', text: a.text });
          return { route: 'pipeline', agent: a.agent, natural: true };
        }
        break;
      }
      case 'OTHER':
        break;
    }
  }
  const a = await answer(parts.conversations.answer(req.key, req.turn.conversationId, text, ctx), req);
  return { route: 'other', agent: a.agent, natural: true };
}
