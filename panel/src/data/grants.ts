// The owner's grants to one spawned agent (GET/PUT/DELETE api/agents/:name/grants). The server owns
// the grammar and the words: the panel asks it what a grant means (previewGrant) and shows that in
// its confirmation, so what the owner agrees to is what the server will apply.
import { apiDelete, apiGet, apiPut, seg } from './api.ts';
import type { AgentGrants, GrantPreview } from './types.ts';

const SENSITIVE = 'ha:sensitive';

/**
 * The grant the owner means by what they typed: a domain (`lock`) or an entity (`lock.front_door`)
 * becomes `ha:sensitive:<it>`; a whole grant (`ha:sensitive...`) is kept. Validity is the server's.
 */
export function grantFor(input: string): string {
  const text = input.trim();
  return text.toLowerCase().startsWith('ha:') ? text : `${SENSITIVE}:${text}`;
}

export function fetchGrants(agent: string, signal?: AbortSignal): Promise<AgentGrants> {
  return apiGet<AgentGrants>(`api/agents/${seg(agent)}/grants`, signal);
}

export function previewGrant(agent: string, grant: string): Promise<GrantPreview> {
  return apiGet<GrantPreview>(`api/agents/${seg(agent)}/grants/${seg(grant)}`);
}

/** Only after the owner confirmed the preview's effect: `confirm: true` is that yes. */
export function grantConfirmed(agent: string, grant: string): Promise<AgentGrants> {
  return apiPut<AgentGrants>(`api/agents/${seg(agent)}/grants/${seg(grant)}`, { confirm: true });
}

export function revokeGrant(agent: string, grant: string): Promise<AgentGrants> {
  return apiDelete<AgentGrants>(`api/agents/${seg(agent)}/grants/${seg(grant)}`);
}
