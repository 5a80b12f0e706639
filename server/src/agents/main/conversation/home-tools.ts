// Main's one-call turn (issue 15): where the provider takes tools, main's own conversation sees
// the part of the home the request names (agents/ha/relevant-map.ts) and acts through tools
// instead of a classifier call followed by a handler's call:
//   control_devices   -> the one-off actuator with the calls already resolved (IntentHandlers
//                        .actuateCalls): every entity and service checked, sensitive actions
//                        waiting for the owner's "yes", restricted channels refused, as before;
//   propose_rule      -> the planner, approval unchanged (IntentHandlers.pipeline);
//   ask_home_assistant-> the home-assistant-agent, for what the map does not show (automations...);
//   explain_rule      -> the planner reads the rule's traces and answers (IntentHandlers.explainRule;
//                        the owner's turns only: traces hold the household's raw events).
// A state question is answered from the states in the prompt. The handler's answer IS the reply:
// no second model call; the result and the reply are recorded in the conversation so the next
// exchange is well formed and the model knows what happened.
import type { ToolCall, ToolDefinition, ToolMessage } from '../../../llm/messages.ts';
import type { RouteKind } from '../events.ts';
import type { HomeContext, IntentAnswer, IntentContext, IntentHandlers } from '../intents.ts';
import { parseCalls } from '../../ha/one-off/resolve.ts';
import { DELEGATE_TOOL, DELETE_AGENT_TOOL } from '../../spawn-config/tool.ts';

export const CONTROL_DEVICES_TOOL: ToolDefinition = {
  name: 'control_devices',
  description: 'Operate Home Assistant devices now (turn on/off, open/close, lock, set brightness or temperature). Use only entity ids and services of the home map. The system checks the calls, asks the owner before security-sensitive ones, and tells the user the outcome.',
  parameters: {
    type: 'object',
    properties: {
      calls: {
        type: 'array',
        description: 'One service call per device and action, in the order asked.',
        items: {
          type: 'object',
          properties: {
            domain: { type: 'string', description: 'e.g. light' },
            service: { type: 'string', description: 'e.g. turn_on' },
            entity_id: { type: 'string', description: 'e.g. light.kitchen' },
            service_data: { type: 'object', description: 'e.g. {"brightness_pct": 50}' },
          },
          required: ['domain', 'service'],
        },
      },
    },
    required: ['calls'],
  },
};

export const PROPOSE_RULE_TOOL: ToolDefinition = {
  name: 'propose_rule',
  description: 'Something that should happen later, repeatedly, on a schedule, or when/if/whenever something occurs (including notifications): the planner designs a rule and the owner approves it.',
  parameters: { type: 'object', properties: { request: { type: 'string', description: "The user's request, in their words" } }, required: ['request'] },
};

export const ASK_HOME_ASSISTANT_TOOL: ToolDefinition = {
  name: 'ask_home_assistant',
  description: 'Questions and management the home map cannot answer: automations (list, create, change, delete), entities or areas not shown, devices, hardware advice.',
  parameters: { type: 'object', properties: { request: { type: 'string', description: "The user's request, in their words" } }, required: ['request'] },
};

export const EXPLAIN_RULE_TOOL: ToolDefinition = {
  name: 'explain_rule',
  description: "A question about what one of the user's Wactorz rules did: why it did or did not fire (at a time), when it last ran, what it did today. Answered from the rule's traces.",
  parameters: {
    type: 'object',
    properties: {
      rule: { type: 'string', description: 'The rule as the user named it ("porch", "garage door") or its id' },
      time: { type: 'string', description: 'The time asked about: "10:42", "today"; omit for the latest' },
    },
    required: ['rule'],
  },
};

/**
 * The one-call prompt leaves out the agent format and the SDK reference (most of main's prompt);
 * asking for them costs one more call, only when an agent is being built.
 */
export const BUILD_AGENT_TOOL: ToolDefinition = {
  name: 'build_agent',
  description: 'Call before creating or replacing an agent: you then get the agent format, the Agent SDK reference and the spawn_agent tool.',
  parameters: { type: 'object', properties: { purpose: { type: 'string', description: 'What the agent should do' } }, required: ['purpose'] },
};

export const BUILD_AGENT_RESULT = 'The agent format and the Agent SDK reference are now in your instructions. Create the agent with spawn_agent.';

export const HOME_TOOLS = [CONTROL_DEVICES_TOOL, PROPOSE_RULE_TOOL, ASK_HOME_ASSISTANT_TOOL] as const;

/** What a one-call turn offers: the owner may build and delete agents; a restricted turn only delegates. */
export function oneCallTools(restricted: boolean): ToolDefinition[] {
  return restricted ? [DELEGATE_TOOL, ...HOME_TOOLS] : [DELETE_AGENT_TOOL, DELEGATE_TOOL, BUILD_AGENT_TOOL, ...HOME_TOOLS, EXPLAIN_RULE_TOOL];
}
const HOME_TOOL_NAMES: ReadonlySet<string> = new Set([...HOME_TOOLS, EXPLAIN_RULE_TOOL].map((t) => t.name));

export function isHomeTool(call: ToolCall): boolean {
  return HOME_TOOL_NAMES.has(call.name);
}

/** How to use the home tools: part of main's one-call system prompt (stable, so cacheable). */
export const HOME_NOTE = `Home Assistant requests come to you directly, with tools:
- a device command: call control_devices with the service calls, using only entity ids and services of the home map below; write no other text with it (the user is told the outcome);
- a question about current states: answer from the home map's states, briefly;
- something that should happen later, repeatedly or when something occurs: call propose_rule;
- automations, or entities and areas the map does not show: call ask_home_assistant;
- why one of the user's rules did or did not act, when it last ran, what it did: call explain_rule (its answer is the reply).`;

/** What main's one-call turn needs for this request alone: the areas, the satellite's room, the relevant map. */
export function homePrompt(home: HomeContext): string {
  const areas = home.areas.length ? `Areas of the home: ${home.areas.join(', ')}.` : '';
  const here = home.here ? `The person is speaking from the ${home.here} (a voice satellite there): a device they do not place elsewhere ("the light") is one in the ${home.here}.` : '';
  const map = home.map
    ? `Home map for this request (area: entity_id "name" state (attributes)):\n${home.map}`
    : 'Home map for this request: no entity matches its words (use ask_home_assistant for the home).';
  return [areas, here, map].filter(Boolean).join('\n');
}

export interface HomeCallOutcome {
  result: ToolMessage;
  answer: IntentAnswer;
  route: RouteKind;
}

/** Runs one home tool call through the same handler the classifier route would have used. */
export async function runHomeCall(call: ToolCall, intents: IntentHandlers, text: string, ctx: IntentContext): Promise<HomeCallOutcome> {
  const args = typeof call.arguments === 'string' ? safeJson(call.arguments) : call.arguments;
  const request = isObject(args) && typeof args.request === 'string' && args.request.trim() ? args.request.trim() : text;
  let answer: IntentAnswer;
  let route: RouteKind;
  switch (call.name) {
    case CONTROL_DEVICES_TOOL.name: {
      route = 'actuate';
      const parsed = parseCalls(JSON.stringify(args ?? {}));
      if (!parsed.ok) answer = { text: `Nothing was done: ${parsed.error}`, agent: 'main' };
      else if (!intents.actuateCalls) answer = { text: 'Nothing was done: Home Assistant is not connected.', agent: 'main' };
      else answer = await intents.actuateCalls(parsed.calls, text, ctx);
      break;
    }
    case PROPOSE_RULE_TOOL.name:
      route = 'pipeline';
      answer = await intents.pipeline(request, ctx, { bypassApproval: false, mode: 'pipeline' });
      break;
    case EXPLAIN_RULE_TOOL.name: {
      route = 'pipeline';
      const rule = isObject(args) && typeof args.rule === 'string' ? args.rule : undefined;
      const time = isObject(args) && typeof args.time === 'string' && args.time.trim() ? args.time.trim() : undefined;
      answer = intents.explainRule
        ? await intents.explainRule(text, ctx, { ...(rule ? { rule } : {}), ...(time ? { time } : {}) })
        : { text: 'Rule traces are not available here.', agent: 'main' };
      break;
    }
    default:
      route = 'ha';
      answer = await intents.ha(request, ctx);
      break;
  }
  const failed = answer.text.startsWith('Nothing was done') || answer.text.startsWith('⛔');
  return { result: { role: 'tool', toolCallId: call.id, name: call.name, content: answer.text || '(done)', ...(failed ? { isError: true } : {}) }, answer, route };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
