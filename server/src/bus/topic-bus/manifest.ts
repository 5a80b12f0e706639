// The manifest an agent publishes retained on `agents/{id}/manifest`: its contract and the samples
// observed from its real publishes. Retained, so a planner starting after a restart still sees
// the real field names before any new message flows.
import { z } from 'zod';
import { TopicContract } from './contract.ts';
import { relativeTopicFor } from '../topics.ts';
import type { TopicRegistry } from './registry.ts';

export const AgentManifest = z.object({
  /** The agent's name (the kernel's topic map requires `name` on every manifest). */
  name: z.string().min(1),
  id: z.string().optional(),
  type: z.string().optional(),
  description: z.string().default(''),
  contract: TopicContract.omit({ agent: true, observed_samples: true, description: true }),
  observed_samples: TopicContract.shape.observed_samples,
  /** Clock ms when the manifest was built. */
  updated_at: z.number(),
});
export type AgentManifest = z.infer<typeof AgentManifest>;

/** The manifest topic below the system root, matching the kernel's `agents/{id}/manifest`. */
export function manifestTopic(agentId: string): string {
  return relativeTopicFor('agentManifest', { id: agentId });
}

export function buildManifest(
  contract: TopicContract,
  at: number,
  meta: { id?: string; type?: string } = {},
): AgentManifest {
  const { agent, observed_samples, description, ...rest } = contract;
  return AgentManifest.parse({ name: agent, ...meta, description, contract: rest, observed_samples, updated_at: at });
}

/** Reads a retained manifest back into a contract; undefined when it is not one of ours. */
export function contractFromManifest(payload: unknown): TopicContract | undefined {
  const parsed = AgentManifest.safeParse(payload);
  if (!parsed.success) return undefined;
  const m = parsed.data;
  return TopicContract.parse({ ...m.contract, agent: m.name, description: m.description, observed_samples: m.observed_samples });
}

/** Restores every agent's contract from retained manifests (e.g. at start, before traffic flows). */
export function restoreManifests(registry: TopicRegistry, payloads: Iterable<unknown>): string[] {
  const restored: string[] = [];
  for (const payload of payloads) {
    const contract = contractFromManifest(payload);
    if (contract) {
      registry.register(contract);
      restored.push(contract.agent);
    }
  }
  return restored;
}
