// What a request to the home-assistant-agent is about. The request already went through main's
// classifier, so plain cases are read from their words (listings, and a question about the
// present state) and only the rest costs one cheap LLM call (the seeds' single-token
// classifier): every sequential call is audible over voice and billed.
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

/**
 * Listing requests by their words (also without an LLM): a listing word and a plural, so "what
 * is the living room temperature?" is not taken for a list of rooms.
 */
export function intentByWords(text: string): HaIntent | undefined {
  const t = text.toLowerCase();
  if (!/\b(list|show|which|what)\b/.test(t)) return undefined;
  if (/\bautomations\b/.test(t)) return 'list_automations';
  if (/\b(areas|rooms)\b/.test(t)) return 'list_areas';
  if (/\bdevices\b/.test(t)) return 'list_devices';
  if (/\bentities\b/.test(t)) return 'list_entities';
  return undefined;
}

/** Words that make a request more than a question about the present state. */
const NOT_A_STATE_QUESTION = /\b(automations?|automate|create|make|add|set ?up|delete|remove|edit|change|modify|buy|recommend|need|should i|how (do|can|could) i)\b/;

/** A plain question about the present state ("what is the study temperature?", "is the door open?"). */
export function isStateQuestion(text: string): boolean {
  const t = text.toLowerCase().trim();
  return /\?\s*$/.test(t) && /^(what|what's|whats|how|is|are|who|which|where|when|did|does|do)\b/.test(t) && !NOT_A_STATE_QUESTION.test(t);
}

export async function classifyIntent(llm: HaLlm | undefined, text: string, signal?: AbortSignal): Promise<HaIntent | undefined> {
  const byWords = intentByWords(text);
  if (!llm || byWords) return byWords;
  if (isStateQuestion(text)) return 'question';
  const r = await llm.complete({ callSite: 'classifier', agent: 'home-assistant-agent', system: INTENT_SYSTEM, messages: [{ role: 'user', content: text }], maxTokens: 10, temperature: 0, signal });
  return readIntent(r.text) ?? intentByWords(text);
}
