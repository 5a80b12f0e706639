// Swapping a running rule's agents for another version's, all or nothing. Each agent that stays
// is replaced in place through the spawner (which restarts the old one when the new one fails to
// start), new agents are spawned, and agents the new version drops are deleted only once every
// other agent runs. When one agent cannot start, the ones already swapped go back to their
// previous configs and the new ones are deleted: the running version keeps running. Agents whose
// config did not change are left alone (their cooldowns and state carry on).
import type { SpawnConfig } from '../../spawn-config/config-schema.ts';
import type { SpawnOrigin } from '../../spawner/agent-spawner.ts';
import { errorText } from '../deadline.ts';
import type { SpawnPort } from '../ports.ts';
import type { RuleAgent } from './rule.ts';

export interface SwapRequest {
  ruleId: string;
  planId?: string | undefined;
  from: readonly RuleAgent[];
  to: readonly RuleAgent[];
  /** The person approved this version knowing its sensitive actions (an edit's approval, the owner's rollback). */
  confirmed: boolean;
}

export type SwapResult = { ok: true; warnings: string[] } | { ok: false; error: string };

export async function swapRuleAgents(req: SwapRequest, spawner: SpawnPort): Promise<SwapResult> {
  const origin: SpawnOrigin = { by: 'planner', ruleId: req.ruleId, ...(req.planId ? { planId: req.planId } : {}), ...(req.confirmed ? { confirmed: true } : {}) };
  const before = new Map(req.from.map((a) => [a.config.name, a.config]));
  const kept = new Set(req.to.map((a) => a.config.name));
  const done: { name: string; previous: SpawnConfig | undefined }[] = [];
  const warnings: string[] = [];
  for (const a of req.to) {
    const previous = before.get(a.config.name);
    if (previous && sameConfig(previous, a.config)) continue;
    try {
      const outcome = await spawner.spawn({ ...a.config, replace: previous !== undefined }, origin);
      if (outcome.status === 'reused') throw new Error(`an agent named ${a.config.name} is already running and belongs to something else`);
      done.push({ name: a.config.name, previous });
      warnings.push(...outcome.warnings);
    } catch (err) {
      const undo = await undoSwaps(done, req.ruleId, spawner);
      return { ok: false, error: `could not start ${a.config.name}: ${errorText(err)}${undo.length ? `; putting back the running version failed for ${undo.join('; ')}` : ''}` };
    }
  }
  for (const [name] of before) {
    if (!kept.has(name)) await spawner.delete(name).catch(() => false);
  }
  return { ok: true, warnings };
}

/** Puts the swapped agents back, newest first; what could not be put back, in words. */
async function undoSwaps(done: { name: string; previous: SpawnConfig | undefined }[], ruleId: string, spawner: SpawnPort): Promise<string[]> {
  const failed: string[] = [];
  // The previous configs ran under an approval already given.
  const origin: SpawnOrigin = { by: 'planner', ruleId, confirmed: true };
  for (const d of [...done].reverse()) {
    try {
      if (d.previous) await spawner.spawn({ ...d.previous, replace: true }, origin);
      else await spawner.delete(d.name);
    } catch (err) {
      failed.push(`${d.name} (${errorText(err)})`);
    }
  }
  return failed;
}

function sameConfig(a: SpawnConfig, b: SpawnConfig): boolean {
  const norm = (c: SpawnConfig) => JSON.stringify(sortKeys({ ...c, replace: false }));
  return norm(a) === norm(b);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([p], [q]) => p.localeCompare(q)).map(([k, x]) => [k, sortKeys(x)]));
  return v;
}
