// /agents grant|revoke <agent> <grant>: the owner's door to what an agent's code may do beyond the
// sandbox (a lock, an alarm panel, a garage door). The registry refuses both on a restricted
// channel (readOnly is false for them). A grant is asked about first, naming exactly what the
// agent will be able to do; the "yes" comes back through main's follow-ups (../grant-questions.ts).
// A revoke needs no confirmation: it only takes a power away.
import { describeGrant, needsConfirmation, parseGrant } from '../../spawner/grants.ts';
import { closeNames } from '../routing/close-names.ts';
import { isRestricted } from '../trust.ts';
import type { CommandContext } from './registry.ts';

export async function changeGrant(ctx: CommandContext, verb: 'grant' | 'revoke', name: string, input: string): Promise<string> {
  const spawner = ctx.deps.spawner;
  if (!spawner?.grantsOf || !spawner.setGrants) return 'Grants cannot be changed in this setup.';
  const current = spawner.grantsOf(name);
  if (current === undefined) {
    const close = closeNames(name, spawner.list().map((a) => a.name));
    return `There is no spawned agent named ${name}; grants are for agents in the spawn registry (/agents lists them).${close.length ? ` Did you mean ${close.join(', ')}?` : ''}`;
  }
  const parsed = parseGrant(input);
  if (!parsed.ok) return parsed.error;
  const { grant } = parsed;
  if (verb === 'revoke') {
    if (!current.includes(grant)) return `${name} does not have ${grant}${current.length ? `; it has ${current.join(', ')}` : '; it has no grants'}.`;
    try {
      const out = await spawner.setGrants(name, current.filter((g) => g !== grant), { by: 'user', userId: ctx.turn.user.id });
      return `${name} no longer has ${grant}${out.restarted ? ' (restarted without it)' : ''}.`;
    } catch (err) {
      return `${grant} was not revoked from ${name}: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  if (current.includes(grant)) return `${name} already has ${grant}.`;
  const agent = spawner.list().find((a) => a.name === name);
  if (agent?.node) return `${name} runs on ${agent.node}; grants apply to agents running on this machine.`;
  if (agent && agent.type !== 'dynamic') return `${name} is a ${agent.type} agent; grants apply to code agents (dynamic) only.`;
  if (!needsConfirmation(grant) || !ctx.deps.grantQuestions) return 'Grants need your confirmation, which this chat cannot ask for; use the Wactorz panel or the API.';
  ctx.deps.grantQuestions.ask(ctx.conversationKey, { agent: name, grant });
  return `⚠️ Granting ${name} ${grant} lets its code ${describeGrant(grant)} whenever its code decides to, without asking you each time. ${name} is restarted with the grant. Grant it? Reply yes or no.`;
}

/** The grants column of /agents; the owner's alone to see. */
export function grantsNote(ctx: CommandContext, name: string): string {
  if (isRestricted(ctx.turn)) return '';
  const grants = ctx.deps.spawner?.grantsOf?.(name) ?? [];
  return grants.length ? ` · grants: ${grants.join(', ')}` : '';
}
