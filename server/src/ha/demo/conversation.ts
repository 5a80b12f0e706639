// A tiny stand-in for HA's default conversation agent (Assist without an LLM): "turn on/off the
// <name>", "open/close the <name>", "lock/unlock the <name>", "turn off the lights in the
// <area>", "what is the <name>". The answer has the shape of POST /api/conversation/process
// (ConversationResult.as_dict, HA 2025.7).
import type { DemoRegistries } from './registries.ts';
import type { DemoStates } from './states.ts';
import { domainOf } from './service-effects.ts';
import { newContextId } from './protocol.ts';

export interface ConversationInput {
  text: string;
  language?: string;
  conversation_id?: string;
  agent_id?: string;
}

export interface ConversationResponse {
  response: {
    speech: { plain: { speech: string; extra_data: null } };
    card: Record<string, never>;
    language: string;
    response_type: 'action_done' | 'query_answer' | 'error';
    data: { targets: unknown[]; success: { name: string; type: 'entity'; id: string }[]; failed: { name: string; type: 'entity'; id: string }[] } | { code: string };
  };
  conversation_id: string;
  continue_conversation: boolean;
}

export interface ConversationHost {
  states: DemoStates;
  registries: DemoRegistries;
  now: () => number;
  call(domain: string, service: string, entityId: string): void;
}

const ACTIONS: { pattern: RegExp; verb: string; service: (domain: string) => string | undefined }[] = [
  { pattern: /^(?:please )?(?:turn|switch) on (?:the )?(.+)$/, verb: 'Turned on', service: (d) => (d === 'lock' || d === 'cover' ? undefined : 'turn_on') },
  { pattern: /^(?:please )?(?:turn|switch) off (?:the )?(.+)$/, verb: 'Turned off', service: (d) => (d === 'lock' || d === 'cover' ? undefined : 'turn_off') },
  { pattern: /^(?:please )?open (?:the )?(.+)$/, verb: 'Opened', service: (d) => (d === 'cover' ? 'open_cover' : d === 'lock' ? 'open' : undefined) },
  { pattern: /^(?:please )?close (?:the )?(.+)$/, verb: 'Closed', service: (d) => (d === 'cover' ? 'close_cover' : undefined) },
  { pattern: /^(?:please )?lock (?:the )?(.+)$/, verb: 'Locked', service: (d) => (d === 'lock' ? 'lock' : undefined) },
  { pattern: /^(?:please )?unlock (?:the )?(.+)$/, verb: 'Unlocked', service: (d) => (d === 'lock' ? 'unlock' : undefined) },
];

export function processConversation(input: ConversationInput, host: ConversationHost): ConversationResponse {
  const language = input.language ?? 'en';
  const conversationId = input.conversation_id ?? newContextId(host.now());
  const text = input.text.trim().toLowerCase().replace(/[.!?]+$/, '');
  const reply = (speech: string, type: ConversationResponse['response']['response_type'], data: ConversationResponse['response']['data']): ConversationResponse => ({
    response: { speech: { plain: { speech, extra_data: null } }, card: {}, language, response_type: type, data },
    conversation_id: conversationId,
    continue_conversation: false,
  });

  const query = /^what(?:'s| is) (?:the )?(.+)$/.exec(text);
  if (query) {
    const entity = findEntities(query[1], host)[0];
    if (!entity) return reply(`Sorry, I am not aware of any device called ${query[1]}`, 'error', { code: 'no_valid_targets' });
    const s = host.states.get(entity)!;
    const unit = typeof s.attributes.unit_of_measurement === 'string' ? ` ${s.attributes.unit_of_measurement}` : '';
    const name = String(s.attributes.friendly_name ?? entity);
    return reply(`${name} is ${s.state}${unit}`, 'query_answer', { targets: [], success: [{ name, type: 'entity', id: entity }], failed: [] });
  }

  for (const action of ACTIONS) {
    const m = action.pattern.exec(text);
    if (!m) continue;
    const targets = findEntities(m[1], host).filter((id) => action.service(domainOf(id)) !== undefined);
    if (targets.length === 0) return reply(`Sorry, I am not aware of any device called ${m[1]}`, 'error', { code: 'no_valid_targets' });
    const success: { name: string; type: 'entity'; id: string }[] = [];
    for (const id of targets) {
      host.call(domainOf(id), action.service(domainOf(id))!, id);
      success.push({ name: String(host.states.get(id)?.attributes.friendly_name ?? id), type: 'entity', id });
    }
    return reply(`${action.verb} ${success.map((s) => s.name).join(' and ')}`, 'action_done', { targets: [], success, failed: [] });
  }
  return reply("Sorry, I couldn't understand that", 'error', { code: 'no_intent_match' });
}

/** By friendly name (with or without a trailing "light"), else "<things> in the <area>". */
function findEntities(phrase: string, host: ConversationHost): string[] {
  const wanted = phrase.trim();
  const named = host.states.all().filter((s) => {
    const name = String(s.attributes.friendly_name ?? '').toLowerCase();
    return name === wanted || name.replace(/ (light|lamp)$/, '') === wanted || s.entity_id === wanted;
  });
  if (named.length > 0) return named.map((s) => s.entity_id);
  const inArea = /^(?:(lights?|switches|everything) )?in (?:the )?(.+)$/.exec(wanted);
  const areaLights = /^(.+?) lights$/.exec(wanted);
  const kind = inArea ? (inArea[1] ?? 'lights') : areaLights ? 'lights' : undefined;
  const areaName = inArea?.[2] ?? areaLights?.[1];
  if (kind === undefined || areaName === undefined) return [];
  const area = host.registries.list('areas').find((a) => a.name.toLowerCase() === areaName);
  if (!area) return [];
  const domain = kind.startsWith('switch') ? 'switch' : kind === 'everything' ? undefined : 'light';
  return host.states
    .all()
    .map((s) => s.entity_id)
    .filter((id) => (domain === undefined || domainOf(id) === domain) && host.registries.areaOfEntity(id) === area.area_id);
}
