// The tool-call form of <spawn>, <delete> and <delegate>: providers with native tools get
// spawn_agent / delete_agent / delegate_task, built from the same zod schemas as the blocks. Each
// call becomes a one-block AgentBlocks run by the same executor, so a tool call and a block are
// checked, spawned and reported identically; the executor's lines are the tool's result.
import type { ToolCall, ToolMessage } from '../../../llm/messages.ts';
import type { AgentBlocks } from '../../spawn-config/parse-blocks.ts';
import { DELEGATE_TOOL, DELETE_AGENT_TOOL, SPAWN_AGENT_TOOL, parseDelegateToolCall, parseDeleteToolCall, parseSpawnToolCall } from '../../spawn-config/tool.ts';
import { executeBlocks, type BlockExecutorDeps, type BlockRun } from './block-executor.ts';

export const AGENT_TOOLS = [SPAWN_AGENT_TOOL, DELETE_AGENT_TOOL, DELEGATE_TOOL] as const;
/** What a restricted turn (an agent, the MQTT broker) is offered: tasks, no agent management. */
export const RESTRICTED_TOOLS = [DELEGATE_TOOL] as const;

/** Providers whose chat API takes tools for every model (Ollama depends on the model, so it keeps the blocks). */
export const TOOL_PROVIDERS: ReadonlySet<string> = new Set(['anthropic', 'openai', 'gemini', 'nim']);

function blocksFor(call: ToolCall): AgentBlocks | string {
  const base = { raw: JSON.stringify(call.arguments), start: 0, end: 0 };
  const empty: AgentBlocks = { spawns: [], deletes: [], delegates: [], text: '' };
  switch (call.name) {
    case SPAWN_AGENT_TOOL.name:
      return { ...empty, spawns: [{ ...base, ...parseSpawnToolCall(call.arguments) }] };
    case DELETE_AGENT_TOOL.name:
      return { ...empty, deletes: [{ ...base, ...parseDeleteToolCall(call.arguments) }] };
    case DELEGATE_TOOL.name:
      return { ...empty, delegates: [{ ...base, ...parseDelegateToolCall(call.arguments) }] };
    default:
      return `Unknown tool ${call.name}. Available: ${AGENT_TOOLS.map((t) => t.name).join(', ')}.`;
  }
}

/** Runs each call in order; returns the tool messages for the model and the lines for the user. */
export async function runToolCalls(calls: readonly ToolCall[], deps: BlockExecutorDeps, run: BlockRun): Promise<{ results: ToolMessage[]; lines: string[] }> {
  const results: ToolMessage[] = [];
  const lines: string[] = [];
  for (const call of calls) {
    const blocks = blocksFor(call);
    const out = typeof blocks === 'string' ? [`⚠️ ${blocks}`] : await executeBlocks(blocks, deps, run);
    lines.push(...out);
    const failed = out.some((l) => l.startsWith('⚠️'));
    results.push({ role: 'tool', toolCallId: call.id, name: call.name, content: out.join('\n'), ...(failed ? { isError: true } : {}) });
  }
  return { results, lines };
}
