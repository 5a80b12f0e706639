// The home-assistant-agent's LLM work besides classification: writing a new automation, changing
// an existing one, recommending hardware, answering a question about the home. Each prompt carries
// the compact home map, never HA's whole state dump. A generated automation that fails the checks
// is sent back once with the problems (the seeds' self-correction), then refused.
import type { HaClient } from '../../../ha/client.ts';
import { compactMap, SENSE_DOMAINS } from '../compact-map.ts';
import { parseLlmJson } from '../llm-json.ts';
import type { HaLlm } from '../one-off/resolve.ts';
import { checkAutomation } from './automation-check.ts';

type Home = Pick<HaClient, 'states' | 'registries' | 'services' | 'getState' | 'hasService'>;

const AGENT = 'home-assistant-agent';

export const AUTOMATION_SYSTEM = `You write Home Assistant automations (2024.10+ format) as one JSON object, no prose:
{"alias": "...", "description": "...", "triggers": [{"trigger": "state", "entity_id": "binary_sensor.x", "to": "on"}],
 "conditions": [], "actions": [{"action": "light.turn_on", "target": {"entity_id": "light.y"}}], "mode": "single"}
Use only entity ids and services from the home map. Time triggers: {"trigger": "time", "at": "07:30:00"}; sun: {"trigger": "sun", "event": "sunset"}.`;

export type Generated = { ok: true; config: Record<string, unknown> } | { ok: false; error: string };

async function ask(llm: HaLlm, system: string, content: string, signal: AbortSignal | undefined, callSite: 'planner' | 'conversation' = 'planner'): Promise<string> {
  const r = await llm.complete({ callSite, agent: AGENT, system, messages: [{ role: 'user', content }], signal, temperature: 0 });
  return r.text;
}

function homeMap(ha: Home, domains: ReadonlySet<string>): string {
  return `Home map (area: entity_id "name" state (attributes)):\n${compactMap(ha, { domains, withServices: true })}`;
}

/** Asks for an automation, checks it, and gives the model one chance to fix what the check found. */
async function generate(llm: HaLlm, ha: Home, prompt: string, signal?: AbortSignal): Promise<Generated> {
  let answer = await ask(llm, AUTOMATION_SYSTEM, prompt, signal);
  for (let attempt = 0; ; attempt++) {
    const parsed = parseLlmJson(answer);
    const config = parsed.ok && typeof parsed.value === 'object' && parsed.value !== null && !Array.isArray(parsed.value) ? (parsed.value as Record<string, unknown>) : undefined;
    const problems = config ? checkAutomation(ha, config) : [parsed.ok ? 'the answer was not a JSON object' : parsed.error];
    if (config && problems.length === 0) return { ok: true, config };
    if (attempt >= 1) return { ok: false, error: problems.join('; ') };
    answer = await ask(llm, AUTOMATION_SYSTEM, `${prompt}\n\nYour previous answer:\n${answer}\n\nIt has these problems: ${problems.join('; ')}. Answer with the corrected JSON only.`, signal);
  }
}

export function createAutomation(llm: HaLlm, ha: Home, request: string, signal?: AbortSignal): Promise<Generated> {
  return generate(llm, ha, `${homeMap(ha, SENSE_DOMAINS)}\n\nWrite an automation for: ${request}`, signal);
}

export function editAutomation(llm: HaLlm, ha: Home, current: Record<string, unknown>, request: string, signal?: AbortSignal): Promise<Generated> {
  return generate(llm, ha, `${homeMap(ha, SENSE_DOMAINS)}\n\nThe current automation:\n${JSON.stringify(current)}\n\nChange it as asked, keep the rest, and answer with the complete updated automation: ${request}`, signal);
}

export const HARDWARE_SYSTEM = `You advise on smart-home hardware for a Home Assistant home. Given the home map and an idea, answer JSON only:
{"can_fulfill": true|false, "hardware": [{"entity_id": "...", "role": "trigger|action|condition"}], "missing": ["device to add, with what it does"], "summary": "two or three sentences for the user"}
"hardware" lists existing entities (ids from the map) the idea would use.`;

export interface HardwareAdvice {
  can_fulfill: boolean;
  hardware: { entity_id: string; role: string }[];
  missing: string[];
  summary: string;
}

export async function recommendHardware(llm: HaLlm, ha: Home, request: string, signal?: AbortSignal): Promise<HardwareAdvice> {
  const prompt = `${homeMap(ha, SENSE_DOMAINS)}\n\nIdea: ${request}`;
  let advice = readAdvice(await ask(llm, HARDWARE_SYSTEM, prompt, signal));
  // The seeds' correction: "can do it" with nothing to do it with is a contradiction worth one retry.
  if (advice.can_fulfill && advice.hardware.length === 0) {
    advice = readAdvice(await ask(llm, HARDWARE_SYSTEM, `${prompt}\n\nYou said it can be done but listed no hardware. List the entities it would use, or set can_fulfill to false.`, signal));
  }
  // Only entities that exist: a recommendation must not point at a hallucinated id.
  return { ...advice, hardware: advice.hardware.filter((h) => ha.getState(h.entity_id) !== undefined) };
}

function readAdvice(answer: string): HardwareAdvice {
  const parsed = parseLlmJson(answer);
  const v = parsed.ok && typeof parsed.value === 'object' && parsed.value !== null ? (parsed.value as Record<string, unknown>) : {};
  const hardware = Array.isArray(v.hardware)
    ? v.hardware.flatMap((h: unknown) => {
        const item = typeof h === 'object' && h !== null ? (h as { entity_id?: unknown; role?: unknown }) : {};
        return typeof item.entity_id === 'string' ? [{ entity_id: item.entity_id, role: typeof item.role === 'string' ? item.role : 'use' }] : [];
      })
    : [];
  return {
    can_fulfill: v.can_fulfill === true,
    hardware,
    missing: Array.isArray(v.missing) ? v.missing.filter((m): m is string => typeof m === 'string') : [],
    summary: typeof v.summary === 'string' ? v.summary : parsed.ok ? '' : answer.trim(),
  };
}

export const QUESTION_SYSTEM = 'You answer questions about a Home Assistant home from the home map (current states). Answer briefly in plain text; say so when the map does not tell.';

export function answerQuestion(llm: HaLlm, ha: Home, question: string, signal?: AbortSignal): Promise<string> {
  return ask(llm, QUESTION_SYSTEM, `${homeMap(ha, SENSE_DOMAINS)}\n\nQuestion: ${question}`, signal, 'conversation');
}
