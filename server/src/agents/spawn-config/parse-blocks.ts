// LLM output -> spawn, delete and delegate requests plus the text to show the user. Each block
// stands alone: a broken block is reported with what is wrong and where, and never stops the
// good blocks around it from spawning.
import { agentNameProblem } from './agent-name.ts';
import type { SpawnConfig } from './config-schema.ts';
import { extractJsonBody } from './json-body.ts';
import { lineColumn, parseLenientJson } from './lenient-json.ts';
import { MAX_BLOCK_CHARS } from './limits.ts';
import { SPAWN_FIELD_NAMES, type SpawnIssue } from './normalize.ts';
import { findTags, stripTags, type TagMatch } from './tags.ts';
import { validateSpawnConfig } from './validate.ts';

interface BlockBase {
  /** The block as written, tags included. */
  raw: string;
  start: number;
  end: number;
}

export type SpawnBlock = BlockBase &
  (
    | { ok: true; config: SpawnConfig; warnings: string[] }
    | { ok: false; error: string; issues: SpawnIssue[]; warnings: string[]; name?: string }
  );

export type DeleteBlock = BlockBase & ({ ok: true; name: string } | { ok: false; error: string });

export type DelegateBlock = BlockBase &
  ({ ok: true; agent: string; task: string | Record<string, unknown> } | { ok: false; error: string });

export interface AgentBlocks {
  spawns: SpawnBlock[];
  deletes: DeleteBlock[];
  delegates: DelegateBlock[];
  /** The reply with every block removed: what the user reads. */
  text: string;
}

const LONG_TEXT = new Set(['code', 'source', 'script', 'system_prompt', 'prompt', 'instructions', 'description', 'desc', 'task']);
const VERBATIM = new Set(['code', 'source', 'script']);

export function parseAgentBlocks(text: string): AgentBlocks {
  const tags = findTags(text);
  return {
    spawns: tags.filter((t) => t.tag === 'spawn').map(spawnBlock),
    deletes: tags.filter((t) => t.tag === 'delete').map(deleteBlock),
    delegates: tags.filter((t) => t.tag === 'delegate').map(delegateBlock),
    text: stripTags(text, tags),
  };
}

export function parseSpawnBlocks(text: string): SpawnBlock[] {
  return findTags(text).filter((t) => t.tag === 'spawn').map(spawnBlock);
}

export function stripAgentBlocks(text: string): string {
  return stripTags(text);
}

/** Parses one JSON text as a spawn config with the same leniency as a block (tool calls, recipes). */
export function parseSpawnJson(json: string): { ok: true; value: unknown; notes: string[] } | { ok: false; error: string } {
  const body = extractJsonBody(json);
  const parsed = parseLenientJson(body.text, { longTextKeys: LONG_TEXT, verbatimKeys: VERBATIM, knownKeys: SPAWN_FIELD_NAMES });
  if (parsed.ok) return { ok: true, value: parsed.value, notes: [...body.notes, ...parsed.repairs] };
  const { line, column } = lineColumn(body.body, body.offset + parsed.offset);
  return { ok: false, error: `invalid JSON at line ${line}, column ${column}: ${parsed.message}` };
}

function spawnBlock(tag: TagMatch): SpawnBlock {
  const base = { raw: tag.raw, start: tag.start, end: tag.end };
  const name = guessName(tag.body);
  const fail = (message: string): SpawnBlock => {
    const error = `${name ? `spawn "${name}"` : 'spawn'} rejected: ${message}`;
    const issues = [{ path: '', message }];
    return name ? { ...base, ok: false, error, issues, warnings: [], name } : { ...base, ok: false, error, issues, warnings: [] };
  };
  if (!tag.closed) return fail('the <spawn> block is never closed with </spawn> (was the reply cut off?)');
  if (tag.body.length > MAX_BLOCK_CHARS) return fail(`the block is ${tag.body.length} characters long; the limit is ${MAX_BLOCK_CHARS}`);
  if (!tag.body.trim()) return fail('the block is empty; it must hold one JSON object');
  const json = parseSpawnJson(tag.body);
  if (!json.ok) return fail(json.error);
  const result = validateSpawnConfig(json.value);
  const warnings = [...json.notes.map((n) => `JSON repaired: ${n}`), ...result.warnings];
  return { ...base, ...result, warnings };
}

function deleteBlock(tag: TagMatch): DeleteBlock {
  const base = { raw: tag.raw, start: tag.start, end: tag.end };
  if (!tag.closed) return { ...base, ok: false, error: 'the <delete> block is never closed with </delete>' };
  let name: unknown = tag.attrs.name ?? tag.attrs.agent ?? tag.body.trim();
  if (typeof name === 'string' && name.startsWith('{')) {
    const parsed = parseLenientJson(name);
    name = parsed.ok && parsed.value !== null && typeof parsed.value === 'object' ? (parsed.value as Record<string, unknown>).name ?? (parsed.value as Record<string, unknown>).agent : undefined;
  }
  if (typeof name !== 'string' || !name.trim()) return { ...base, ok: false, error: 'delete: expected an agent name, e.g. <delete>weather-agent</delete>' };
  const clean = name.trim().replace(/^["'`]|["'`]$/g, '');
  const problem = agentNameProblem(clean);
  if (problem) return { ...base, ok: false, error: `delete "${clean}": name ${problem}` };
  return { ...base, ok: true, name: clean };
}

function delegateBlock(tag: TagMatch): DelegateBlock {
  const base = { raw: tag.raw, start: tag.start, end: tag.end };
  if (!tag.closed) return { ...base, ok: false, error: 'the <delegate> block is never closed with </delegate>' };
  let agent: unknown = tag.attrs.agent ?? tag.attrs.to ?? tag.attrs.name;
  const body = tag.body.trim();
  let task: unknown = body;
  if (body.startsWith('{')) {
    const parsed = parseLenientJson(body, { longTextKeys: new Set(['task']) });
    if (parsed.ok && parsed.value !== null && typeof parsed.value === 'object' && !Array.isArray(parsed.value)) {
      const obj = parsed.value as Record<string, unknown>;
      if (agent === undefined) {
        agent = obj.agent ?? obj.to ?? obj.name;
        task = obj.task ?? obj.payload ?? obj.message;
      } else {
        task = obj;
      }
    }
  }
  if (typeof agent !== 'string' || !agent.trim()) {
    return { ...base, ok: false, error: 'delegate: name the agent, e.g. <delegate agent="weather-agent">task</delegate>' };
  }
  const problem = agentNameProblem(agent.trim());
  if (problem) return { ...base, ok: false, error: `delegate to "${agent}": name ${problem}` };
  const isObject = task !== null && typeof task === 'object' && !Array.isArray(task);
  if (!(typeof task === 'string' && task.trim()) && !isObject) {
    return { ...base, ok: false, error: `delegate to "${agent}": the task is empty` };
  }
  return { ...base, ok: true, agent: agent.trim(), task: isObject ? (task as Record<string, unknown>) : (task as string).trim() };
}

/** The name, if one is readable, so even an unparseable block's error says which agent failed. */
function guessName(body: string): string | undefined {
  return /["']?name["']?\s*:\s*["']([^"'\n]{1,64})["']/.exec(body)?.[1];
}
