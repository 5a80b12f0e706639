// What a dynamic agent's code does, read from its string literals: the topics it subscribes and
// publishes to, the HA services it calls and the entity ids it names. Good enough for static
// validation of LLM-written code, which uses literal topics and ids (the prompt asks for them);
// a computed topic is reported as unknown rather than guessed.
export interface CodeServiceCall {
  domain: string;
  service: string;
  entityIds: string[];
}

export interface CodeFacts {
  subscribes: string[];
  publishes: string[];
  services: CodeServiceCall[];
  /** Every "domain.object_id" literal whose domain is an HA entity domain. */
  entityIds: string[];
  /** subscribe/publish calls whose topic is not a plain string literal. */
  dynamicTopics: number;
  notifies: boolean;
}

const STR = String.raw`(?:'([^'\\\n]*)'|"([^"\\\n]*)"|\x60([^\x60\\$]*)\x60)`;
const SUBSCRIBE = new RegExp(String.raw`\bagent\.subscribe\s*\(\s*${STR}`, 'g');
const PUBLISH = new RegExp(String.raw`\bagent\.publish\s*\(\s*${STR}`, 'g');
const ANY_TOPIC_CALL = /\bagent\.(?:subscribe|publish)\s*\(\s*([^,)]*)/g;
const CALL_SERVICE = /\bagent\.ha\.call(?:Service|_service)\s*\(/g;
const ENTITY_LITERAL = /['"`]([a-z_]+)\.([a-z0-9_]+)['"`]/g;

/** Domains whose "x.y" literals are entity ids (not file names, versions or object paths). */
export const ENTITY_DOMAINS: ReadonlySet<string> = new Set([
  'alarm_control_panel', 'automation', 'binary_sensor', 'button', 'camera', 'climate', 'cover', 'device_tracker',
  'fan', 'humidifier', 'input_boolean', 'input_button', 'input_number', 'input_select', 'input_text', 'input_datetime',
  'light', 'lock', 'media_player', 'number', 'person', 'remote', 'scene', 'script', 'select', 'sensor', 'siren',
  'sun', 'switch', 'vacuum', 'valve', 'water_heater', 'weather', 'zone', 'timer', 'counter', 'event', 'image', 'text',
]);

const lit = (m: RegExpExecArray, from = 1): string => m[from] ?? m[from + 1] ?? m[from + 2] ?? '';

export function scanCode(code: string): CodeFacts {
  const subscribes = [...code.matchAll(SUBSCRIBE)].map((m) => lit(m));
  const publishes = [...code.matchAll(PUBLISH)].map((m) => lit(m));
  const literalCalls = subscribes.length + publishes.length;
  const dynamicTopics = Math.max(0, [...code.matchAll(ANY_TOPIC_CALL)].length - literalCalls);
  const entityIds = [...new Set([...code.matchAll(ENTITY_LITERAL)].filter((m) => ENTITY_DOMAINS.has(m[1])).map((m) => `${m[1]}.${m[2]}`))];
  return {
    subscribes: [...new Set(subscribes)],
    publishes: [...new Set(publishes)],
    services: serviceCalls(code),
    entityIds,
    dynamicTopics,
    notifies: /\bagent\.notify\s*\(/.test(code),
  };
}

/** callService('light', 'turn_on', {...}) and callService('light.turn_on', {...}). */
function serviceCalls(code: string): CodeServiceCall[] {
  const out: CodeServiceCall[] = [];
  for (const m of code.matchAll(CALL_SERVICE)) {
    const args = argumentText(code, m.index + m[0].length);
    const strings = [...args.matchAll(new RegExp(STR, 'g'))].map((s) => lit(s));
    const first = strings[0];
    if (first === undefined) continue;
    // 'light.turn_on' as one string, or 'light', 'turn_on' as two.
    const [domain = '', service = ''] = first.includes('.') ? first.split('.', 2) : [first, strings[1] ?? ''];
    const rest = strings.slice(first.includes('.') ? 1 : 2);
    if (!domain || !service) continue;
    const entityIds = rest.filter((s) => /^[a-z_]+\.[a-z0-9_]+$/.test(s));
    out.push({ domain, service, entityIds });
  }
  return out;
}

/** The text of a call's argument list, up to its matching closing parenthesis. */
function argumentText(code: string, start: number): string {
  let depth = 1;
  let quote: string | undefined;
  for (let i = start; i < code.length; i++) {
    const c = code[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return code.slice(start, i);
  }
  return code.slice(start);
}
