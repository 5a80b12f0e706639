// The owner's grants to one agent: what its code may do beyond the sandbox's ordinary scopes.
// Today every grant is a sensitive Home Assistant scope (ha/sensitive-calls.ts applies them):
//   ha:sensitive                 every lock, alarm panel and garage/door/gate cover
//   ha:sensitive:<domain>        lock | alarm_control_panel | cover
//   ha:sensitive:<entity_id>     one entity of those domains, e.g. ha:sensitive:lock.front_door
// Grants come from the owner only (/agents grant, the API with confirm: true), never from a spawn
// block or tool call (the spawn schema has no such field and the spawner refuses them from `llm`).
import { SENSITIVE_GRANT } from '../../ha/sensitive-calls.ts';

const DOMAINS = ['lock', 'alarm_control_panel', 'cover'] as const;
type GrantDomain = (typeof DOMAINS)[number];

/** The accepted forms, for refusals and the API. */
export const GRANT_FORMS: readonly string[] = [SENSITIVE_GRANT, ...DOMAINS.map((d) => `${SENSITIVE_GRANT}:${d}`), `${SENSITIVE_GRANT}:<entity_id> (a lock, alarm panel or cover, e.g. ${SENSITIVE_GRANT}:lock.front_door)`];

export type GrantCheck = { ok: true; grant: string } | { ok: false; error: string };

/** The grant in its one spelling (lower case, trimmed), or why it is not one. */
export function parseGrant(input: string): GrantCheck {
  const grant = input.trim().toLowerCase();
  if (grant === SENSITIVE_GRANT) return { ok: true, grant };
  const m = /^ha:sensitive:([a-z_][a-z0-9_]*)(?:\.([a-z0-9_]+))?$/.exec(grant);
  if (m && (DOMAINS as readonly string[]).includes(m[1] ?? '')) return { ok: true, grant };
  return { ok: false, error: `"${input.trim()}" is not a grant. Valid grants: ${GRANT_FORMS.join('; ')}.` };
}

/** Every grant so far lets agent code act on a sensitive device: the owner confirms each. */
export function needsConfirmation(grant: string): boolean {
  return grant === SENSITIVE_GRANT || grant.startsWith(`${SENSITIVE_GRANT}:`);
}

const ACTS: Record<GrantDomain, (what: string) => string> = {
  lock: (what) => `lock, unlock and open ${what}`,
  alarm_control_panel: (what) => `arm and disarm ${what}`,
  cover: (what) => `open and close ${what}`,
};

/** What the agent's code will be able to do, in words, for the confirmation question. */
export function describeGrant(grant: string): string {
  if (grant === SENSITIVE_GRANT) return 'lock, unlock and open every lock, arm and disarm every alarm panel, and open and close every garage, door and gate cover';
  const target = grant.slice(SENSITIVE_GRANT.length + 1);
  const [domain, object] = target.split('.') as [GrantDomain, string | undefined];
  const act = ACTS[domain];
  if (object !== undefined) return act(target);
  return act(domain === 'lock' ? 'every lock' : domain === 'alarm_control_panel' ? 'every alarm panel' : 'every garage, door and gate cover');
}
