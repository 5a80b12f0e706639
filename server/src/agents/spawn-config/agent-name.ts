// Agent names end up in MQTT topics (`agents/by-name/{name}/task`), registry keys and the panel,
// so they are slugs: no `/`, `+`, `#`, spaces or capitals. A spawn block must not take the name
// of a system actor either: with `replace: true` it would hot-swap the orchestrator.
import { z } from 'zod';

export const AGENT_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Names of system actors and topic words a spawned agent may not take. */
export const RESERVED_AGENT_NAMES: ReadonlySet<string> = new Set([
  'main', 'planner', 'monitor', 'catalog', 'installer', 'system', 'by-name', 'all', 'wactorz',
]);

/** "Weather Agent!" -> "weather-agent", offered in the error so the LLM can retry correctly. */
export function suggestSlug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
    .slice(0, 64);
}

export function agentNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (!AGENT_NAME_PATTERN.test(name)) {
    const hint = suggestSlug(name);
    const suggestion = hint && AGENT_NAME_PATTERN.test(hint) ? `, e.g. "${hint}"` : '';
    return `must be a slug of 1-64 characters: lowercase letters, digits, "-" or "_", starting with a letter or digit${suggestion}`;
  }
  if (RESERVED_AGENT_NAMES.has(name)) return `"${name}" is reserved for a system actor; pick another name`;
  return undefined;
}

export const AgentName = z.string().superRefine((name, ctx) => {
  const problem = agentNameProblem(name);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
