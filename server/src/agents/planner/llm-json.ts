// Reads the JSON an LLM answered with: fences and surrounding prose cut away, and the spawn
// protocol's lenient parser for what strict JSON rejects (agent code with raw newlines and quotes).
import { extractJsonBody } from '../spawn-config/json-body.ts';
import { lineColumn, parseLenientJson } from '../spawn-config/lenient-json.ts';
import { SPAWN_FIELD_NAMES } from '../spawn-config/normalize.ts';

const CODE_KEYS: ReadonlySet<string> = new Set(['code']);
const TEXT_KEYS: ReadonlySet<string> = new Set(['code', 'task', 'description', 'summary', 'system_prompt']);
const PLAN_KEYS: ReadonlySet<string> = new Set([
  ...SPAWN_FIELD_NAMES, 'steps', 'step', 'agent', 'task', 'parallel', 'depends_on', 'spawn_config',
  'agents', 'pattern', 'title', 'summary', 'feasible', 'reason', 'trigger', 'entity_id', 'filter',
]);

export type LlmJson = { ok: true; value: unknown } | { ok: false; error: string };

export function readLlmJson(text: string): LlmJson {
  const body = extractJsonBody(text);
  if (!body.text.trim()) return { ok: false, error: 'the answer holds no JSON' };
  const parsed = parseLenientJson(body.text, { verbatimKeys: CODE_KEYS, longTextKeys: TEXT_KEYS, knownKeys: PLAN_KEYS });
  if (parsed.ok) return { ok: true, value: parsed.value };
  const { line, column } = lineColumn(body.body, body.offset + parsed.offset);
  return { ok: false, error: `invalid JSON at line ${line}, column ${column}: ${parsed.message}` };
}

/** zod issues as one line each: "steps[1].depends_on: expected array". */
export function formatZodIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string[] {
  return issues.map((i) => {
    const path = i.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('').replace(/^\./, '');
    return path ? `${path}: ${i.message}` : i.message;
  });
}
