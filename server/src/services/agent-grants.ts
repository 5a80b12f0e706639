// AgentGrantsService for the API: the same grant grammar and spawner path as /agents grant in chat.
// The chat confirms with a yes; here the caller sends `confirm: true`, which the panel sets only
// after showing the owner what the agent will be able to do (the refusal says it in words).
import { SpawnError, type AgentSpawner } from '../agents/spawner/agent-spawner.ts';
import { describeGrant, GRANT_FORMS, needsConfirmation, parseGrant } from '../agents/spawner/grants.ts';
import type { AgentGrants, GrantPreview } from '../contract/agents.ts';
import { ServiceError } from '../contract/service-error.ts';
import type { AgentGrantsService } from '../contract/services.ts';

export function createAgentGrantsService(spawner: AgentSpawner): AgentGrantsService {
  const view = (name: string, grants: string[]): AgentGrants => ({ name, grants, valid_forms: [...GRANT_FORMS] });

  const current = (name: string): string[] => {
    const grants = spawner.grantsOf?.(name);
    if (grants === undefined) throw new ServiceError('not_found', `No spawned agent named "${name}"`);
    return grants;
  };

  const grantOf = (input: string): string => {
    const parsed = parseGrant(input);
    if (!parsed.ok) throw new ServiceError('invalid', parsed.error);
    return parsed.grant;
  };

  const apply = async (name: string, grants: string[], userId: string | null): Promise<AgentGrants> => {
    if (!spawner.setGrants) throw new ServiceError('unavailable', 'Grants cannot be changed in this setup');
    try {
      const out = await spawner.setGrants(name, grants, { by: 'user', ...(userId ? { userId } : {}) });
      return view(name, out.grants);
    } catch (err) {
      if (err instanceof SpawnError) throw new ServiceError(err.field === undefined ? 'conflict' : 'invalid', err.message);
      throw err;
    }
  };

  return {
    async get(name) {
      const grants = spawner.grantsOf?.(name);
      return grants === undefined ? undefined : view(name, grants);
    },
    async preview(name, input): Promise<GrantPreview> {
      const had = current(name);
      const grant = grantOf(input);
      return { name, grant, effect: describeGrant(grant), needs_confirm: needsConfirmation(grant), granted: had.includes(grant) };
    },
    async grant(name, input, confirm, ctx) {
      const had = current(name);
      const grant = grantOf(input);
      if (had.includes(grant)) return view(name, had);
      if (needsConfirmation(grant) && !confirm) {
        throw new ServiceError('invalid', `Granting ${name} ${grant} lets its code ${describeGrant(grant)} without asking each time; send {"confirm": true} to grant it.`);
      }
      return apply(name, [...had, grant], ctx.identity.userId);
    },
    async revoke(name, input, ctx) {
      const had = current(name);
      const grant = grantOf(input);
      if (!had.includes(grant)) return view(name, had);
      return apply(name, had.filter((g) => g !== grant), ctx.identity.userId);
    },
  };
}
