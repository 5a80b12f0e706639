// JSON out of an LLM answer: fences and prose around it are cut away, strict JSON is tried first,
// then the forgiving reader the spawn parser uses (trailing commas, single quotes, True/None).
import { extractJsonBody } from '../spawn-config/json-body.ts';
import { parseLenientJson } from '../spawn-config/lenient-json.ts';

export function parseLlmJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const { text: body } = extractJsonBody(text);
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch {
    const r = parseLenientJson(body);
    return r.ok ? { ok: true, value: r.value } : { ok: false, error: `the answer was not JSON (${r.message})` };
  }
}
