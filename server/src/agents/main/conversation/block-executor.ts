// Carries out what main's LLM asked for in <spawn>, <delete> and <delegate> blocks, and says
// how each went: spawns go through the AgentSpawner with origin {by:'llm'} (so no relaxed mode
// can come from model output), deletes only touch spawned agents (never system actors), and
// delegations reach the agent like an @mention. Every block gets a line in the answer and an
// event, so a failure is never silent.
import type { AgentBlocks } from '../../spawn-config/parse-blocks.ts';
import { SpawnError, type AgentSpawner } from '../../spawner/agent-spawner.ts';
import { formatAgentResult, type AgentGateway } from '../agents/agent-gateway.ts';
import type { Via } from '../../../core/messages.ts';
import type { RouteEvent } from '../events.ts';

export interface BlockExecutorDeps {
  spawner: AgentSpawner | undefined;
  gateway: AgentGateway;
}

export interface BlockRun {
  conversationId: string;
  signal?: AbortSignal;
  emit: (event: RouteEvent) => void;
  /**
   * Set for a restricted turn (trust.ts): spawns and deletes are refused, whatever the model
   * wrote, and delegations carry it so system agents refuse them too.
   */
  via?: Via;
}

const OWNER_ONLY = (via: Via, what: string) => `${what} only for the owner (panel, Assist or CLI); this request came from ${via === 'mqtt' ? 'the MQTT broker' : 'an agent'}`;

export const SPAWNER_MISSING = 'spawning agents is not available yet (no agent spawner is running)';

/** Runs every block in order; returns the lines to append to the answer. */
export async function executeBlocks(blocks: AgentBlocks, deps: BlockExecutorDeps, run: BlockRun): Promise<string[]> {
  const lines: string[] = [];
  const { spawner } = deps;

  for (const block of blocks.spawns) {
    if (!block.ok) {
      const name = block.name ?? 'agent';
      run.emit({ type: 'spawn', name, ok: false, text: block.error });
      lines.push(`⚠️ ${block.error}`);
      continue;
    }
    const { config } = block;
    if (run.via) {
      const text = OWNER_ONLY(run.via, 'Spawning agents is');
      run.emit({ type: 'spawn', name: config.name, ok: false, text, agentType: config.type });
      lines.push(`⚠️ ${config.name} was not spawned: ${text}.`);
      continue;
    }
    if (!spawner) {
      run.emit({ type: 'spawn', name: config.name, ok: false, text: SPAWNER_MISSING, agentType: config.type });
      lines.push(`⚠️ ${config.name} was not spawned: ${SPAWNER_MISSING}.`);
      continue;
    }
    try {
      const outcome = await spawner.spawn(config, { by: 'llm', conversationId: run.conversationId });
      const warnings = [...block.warnings, ...outcome.warnings];
      const where = outcome.node ? ` on ${outcome.node}` : '';
      const verb = outcome.status === 'reused' ? 'is already running (kept as is; set "replace": true to swap it)' : outcome.status === 'replaced' ? `replaced${where}` : `spawned${where}`;
      const text = `${outcome.name} (${outcome.type}) ${verb}.`;
      run.emit({ type: 'spawn', name: outcome.name, ok: true, text, agentType: outcome.type, status: outcome.status });
      lines.push(`✅ ${text}${warnings.length ? ` Notes: ${warnings.join('; ')}` : ''}`);
    } catch (err) {
      const message = err instanceof SpawnError || err instanceof Error ? err.message : String(err);
      run.emit({ type: 'spawn', name: config.name, ok: false, text: message, agentType: config.type });
      lines.push(`⚠️ ${config.name} was not spawned: ${message}`);
    }
  }

  for (const block of blocks.deletes) {
    if (!block.ok) {
      run.emit({ type: 'delete', name: 'agent', ok: false, text: block.error });
      lines.push(`⚠️ ${block.error}`);
      continue;
    }
    if (run.via) {
      const text = OWNER_ONLY(run.via, 'Deleting agents is');
      run.emit({ type: 'delete', name: block.name, ok: false, text });
      lines.push(`⚠️ ${block.name} was not deleted: ${text}.`);
      continue;
    }
    if (!spawner) {
      run.emit({ type: 'delete', name: block.name, ok: false, text: SPAWNER_MISSING });
      lines.push(`⚠️ ${block.name} was not deleted: ${SPAWNER_MISSING}.`);
      continue;
    }
    try {
      const deleted = await spawner.delete(block.name);
      const text = deleted ? `${block.name} deleted.` : `There is no spawned agent named ${block.name}; nothing was deleted.`;
      run.emit({ type: 'delete', name: block.name, ok: deleted, text });
      lines.push(`${deleted ? '🗑️' : '⚠️'} ${text}`);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      run.emit({ type: 'delete', name: block.name, ok: false, text: message });
      lines.push(`⚠️ ${block.name} was not deleted: ${message}`);
    }
  }

  for (const block of blocks.delegates) {
    if (!block.ok) {
      run.emit({ type: 'delegate', agent: 'agent', ok: false, text: block.error });
      lines.push(`⚠️ ${block.error}`);
      continue;
    }
    const r = await deps.gateway.deliver(block.agent, block.task, { origin: { by: 'llm', conversationId: run.conversationId }, from: 'main', ...(run.signal ? { signal: run.signal } : {}), ...(run.via ? { via: run.via } : {}) });
    if (r.ok) {
      const text = formatAgentResult(r.result);
      run.emit({ type: 'delegate', agent: block.agent, ok: true, text, result: r.result });
      lines.push(`↪️ ${block.agent}: ${text}`);
    } else {
      run.emit({ type: 'delegate', agent: block.agent, ok: false, text: r.error });
      lines.push(`⚠️ ${r.error}`);
    }
  }
  return lines;
}
