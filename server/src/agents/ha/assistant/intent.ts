// What a request to the home-assistant-agent is about, decided by one cheap LLM call (the seeds'
// single-token classifier). Without an LLM, plain listing requests are still understood by
// their words; anything else needs the model.
import type { HaLlm } from '../one-off/resolve.ts';

export const HA_INTENTS = [
  'list_areas', 'list_devices', 'list_entities', 'list_automations',
  'create_automation', 'edit_automation', 'delete_automation', 'recommend_hardware', 'question',
] as const;
export type HaIntent = (typeof HA_INTENTS)[number];

export const INTENT_SYSTEM = `Classify a request about a Home Assistant home. Answer with exactly one label:
list_areas - list the rooms/areas
list_devices - list the devices
list_entities - list entities (optionally of one kind or room)
list_automations - list the automations
create_automation - create a new Home Assistant automation
edit_automation - change an existing automation
delete_automation - delete/remove an existing automation
recommend_hardware - which devices or sensors are needed for an idea, what to buy
question - a question about the current state of the home (temperatures, what is on, who is home)`;

/** The label in a model's answer ("Label: list_areas." included); undefined when there is none. */
export function readIntent(answer: string): HaIntent | undefined {
  const text = answer.toLowerCase();
  let best: { intent: HaIntent; at: number } | undefined;
  for (const intent of HA_INTENTS) {
    const at = text.indexOf(intent);
    if (at >= 0 && (!best || at < best.at)) best = { intent, at };
  }
  return best?.intent;
}

/** Listing requests by their words, for when no LLM is configured. */
export function intentByWords(text: string): HaIntent | undefined {
  const t = text.toLowerCase();
  if (!/\b(list|show|which|what)\b/.test(t)) return undefined;
  if (/\bautomations?\b/.test(t)) return 'list_automations';
  if (/\b(areas?|rooms?)\b/.test(t)) return 'list_areas';
  if (/\bdevices?\b/.test(t)) return 'list_devices';
  if (/\bentit(y|ies)\b/.test(t)) return 'list_entities';
  return undefined;
}

export async function classifyIntent(llm: HaLlm | undefined, text: string, signal?: AbortSignal): Promise<HaIntent | undefined> {
  if (!llm) return intentByWords(text);
  const r = await llm.complete({ callSite: 'classifier', agent: 'home-assistant-agent', system: INTENT_SYSTEM, messages: [{ role: 'user', content: text }], maxTokens: 10, temperature: 0, signal });
  return readIntent(r.text) ?? intentByWords(text);
}
