// Relaxed execution (trusted code, no sandbox, Node's require) is granted by the user only:
// configuration or an explicit confirmed command. The original let `trusted: true` in LLM output
// switch the sandbox off; here a spawn block that asks for it is rejected outright, and an
// explicit "no" is stripped with a warning so the block still spawns. Grants and scopes (a lock, an
// alarm panel) are refused the same way: the owner gives them with /agents grant or the API.

/** Fields that would widen what the agent may do (sensitive HA grants, SDK scopes): the owner's, via /agents grant. */
const PRIVILEGES = ['grants', 'grant', 'scopes', 'permissions'];

/** Fields that would relax the sandbox if honoured; `sandbox` relaxes it when falsy instead. */
const RELAXING = ['trusted', 'unsafe', 'unsandboxed', 'no_sandbox', 'allow_require', 'allow_unsafe', 'privileged', 'relaxed', 'dangerous', 'allow_host'];

export interface RelaxedModeCheck {
  rejected: { field: string; message: string }[];
  warnings: string[];
  /** The input without any relaxed-mode field. */
  rest: Record<string, unknown>;
}

function isFalsy(value: unknown): boolean {
  return value === false || value === null || value === 0 || value === '' || (typeof value === 'string' && /^(false|no|off|0)$/i.test(value));
}

function isEmpty(value: unknown): boolean {
  return isFalsy(value) || (Array.isArray(value) && value.length === 0);
}

export function checkRelaxedMode(input: Record<string, unknown>): RelaxedModeCheck {
  const rejected: RelaxedModeCheck['rejected'] = [];
  const warnings: string[] = [];
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (PRIVILEGES.includes(key)) {
      if (isEmpty(value)) warnings.push(`ignored "${key}": grants come from the owner, not from spawn blocks`);
      else rejected.push({ field: key, message: `a spawn block cannot grant "${key}"; only the owner can (/agents grant <agent> <grant>, e.g. ha:sensitive:lock.front_door). Remove "${key}", spawn the agent, and tell the user how to grant it` });
      continue;
    }
    const relaxes = RELAXING.includes(key) ? !isFalsy(value) : key === 'sandbox' ? isFalsy(value) || value === 'none' || value === 'off' : undefined;
    if (relaxes === undefined) {
      rest[key] = value;
    } else if (relaxes) {
      rejected.push({
        field: key,
        message: `a spawn block cannot ${key === 'sandbox' ? 'turn the sandbox off' : `grant ${key} mode`}; only the user can (add-on configuration or a confirmed command). Remove "${key}" and spawn a sandboxed agent`,
      });
    } else {
      warnings.push(`ignored "${key}": sandbox settings come from the user, not from spawn blocks`);
    }
  }
  return { rejected, warnings, rest };
}
