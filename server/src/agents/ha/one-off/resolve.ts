// Turning "turn on the hallway light and set the heating to 22" into Home Assistant service
// calls: one LLM call with the compact area -> entity map and the services, answered as JSON,
// then every call normalised (the forms models write) and validated with the spawn schemas.
import type { LlmService } from '../../../llm/index.ts';
import { HaAction, normalizeHaAction } from '../../../ha/action.ts';
import { formatPath } from '../../spawn-config/validate.ts';
import { compactMap, CONTROL_DOMAINS } from '../compact-map.ts';
import { parseLlmJson } from '../llm-json.ts';
import type { HaClient } from '../../../ha/client.ts';

export type HaLlm = Pick<LlmService, 'complete'>;

/** The seeds gave the one-off 120 s; a slow local model needs it. */
export const RESOLVE_TIMEOUT_MS = 120_000;

export const RESOLVE_SYSTEM = `You control a Home Assistant home. Turn the user's request into Home Assistant service calls.
Use only entity ids and services listed in the home map. Answer with JSON only, no prose:
{"calls": [{"domain": "light", "service": "turn_on", "entity_id": "light.kitchen", "service_data": {"brightness_pct": 50}}]}
If the request cannot be done with these entities and services, answer {"calls": [], "error": "<why, in one sentence>"}.
Several devices or actions: one call each, in the order asked.`;

export type Resolution = { ok: true; calls: HaAction[] } | { ok: false; error: string };

export function resolvePrompt(ha: Pick<HaClient, 'states' | 'registries' | 'services'>, text: string): string {
  return `Home map (area: entity_id "name" state (attributes)):\n${compactMap(ha, { domains: CONTROL_DOMAINS, withServices: true })}\n\nRequest: ${text}`;
}

export async function resolveCalls(llm: HaLlm, ha: Pick<HaClient, 'states' | 'registries' | 'services'>, text: string, opts: { signal?: AbortSignal; agent: string }): Promise<Resolution> {
  const r = await llm.complete({
    callSite: 'actuate',
    agent: opts.agent,
    system: RESOLVE_SYSTEM,
    messages: [{ role: 'user', content: resolvePrompt(ha, text) }],
    signal: opts.signal,
    timeoutMs: RESOLVE_TIMEOUT_MS,
    temperature: 0,
  });
  return parseCalls(r.text);
}

export function parseCalls(answer: string): Resolution {
  const parsed = parseLlmJson(answer);
  if (!parsed.ok) return { ok: false, error: `I could not read the plan for that request: ${parsed.error}.` };
  const value = parsed.value;
  const list = Array.isArray(value) ? value : isObject(value) ? value.calls : undefined;
  const error = isObject(value) && typeof value.error === 'string' && value.error.trim() ? value.error.trim() : undefined;
  if (!Array.isArray(list) || list.length === 0) return { ok: false, error: error ?? 'I could not work out which device to control for that.' };
  const calls: HaAction[] = [];
  for (const [i, raw] of list.entries()) {
    const r = HaAction.safeParse(normalizeHaAction(raw));
    if (!r.success) {
      const issue = r.error.issues[0];
      return { ok: false, error: `The plan's call ${i + 1} is not a valid service call (${issue ? `${formatPath(issue.path) || 'call'}: ${issue.message}` : 'invalid'}).` };
    }
    calls.push(r.data);
  }
  return { ok: true, calls };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
