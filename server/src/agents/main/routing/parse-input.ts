// The first, LLM-free look at a message: a slash command, an @mention, an explicit planner
// prefix, or plain text for the classifier. Pure, so every form is tested without a system.

export type PlannerPrefix = 'coordinate' | 'plan' | 'pipeline';

export type ParsedInput =
  | { kind: 'empty' }
  | { kind: 'slash'; command: string; args: string[]; rest: string }
  /** `@name message`; `bypass` for `@name! message` (only meaningful for @planner). */
  | { kind: 'mention'; agent: string; message: string; bypass: boolean }
  /** `coordinate: ...`, `plan: ...`, `pipeline: ...`; `!` instead of `:` skips approval. */
  | { kind: 'prefix'; prefix: PlannerPrefix; bypass: boolean; message: string }
  | { kind: 'text'; message: string };

const SLASH = /^\/([a-z][\w-]*)(?:\s+([\s\S]*))?$/i;
const MENTION = /^@([a-z0-9][\w.-]*?)(!)?(?:[\s,:]+([\s\S]*))?$/i;
const PREFIX = /^(coordinate|plan|pipeline)\s*(!:?|:)\s*([\s\S]*)$/i;

export function parseInput(raw: string): ParsedInput {
  const text = raw.trim();
  if (text === '') return { kind: 'empty' };

  const slash = SLASH.exec(text);
  if (slash) {
    const rest = (slash[2] ?? '').trim();
    return { kind: 'slash', command: slash[1].toLowerCase(), args: rest === '' ? [] : rest.split(/\s+/), rest };
  }

  const mention = MENTION.exec(text);
  if (mention) {
    return { kind: 'mention', agent: mention[1].toLowerCase(), bypass: mention[2] === '!', message: (mention[3] ?? '').trim() };
  }

  const prefix = PREFIX.exec(text);
  if (prefix) {
    return { kind: 'prefix', prefix: prefix[1].toLowerCase() as PlannerPrefix, bypass: prefix[2].startsWith('!'), message: prefix[3].trim() };
  }

  return { kind: 'text', message: text };
}
