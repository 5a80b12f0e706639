// The `llm` agent type for the spawner: an LlmAgent under its own supervisor. Its conversation is
// keyed by the agent's name, so a restart or a restore continues it and a hot-swap (a new system
// prompt) keeps the history; deleting the agent forgets it (see forgetLlmAgent).
import type { ConversationStore, LlmService } from '../llm/index.ts';
import type { AgentTypeFactory } from './spawner/agent-spawner.ts';
import type { AgentSupervision } from './spawner/supervision.ts';
import { LlmAgent, type LlmAgentConfig } from './llm-agent.ts';

export interface LlmFactoryDeps {
  llm: LlmService | undefined;
  conversations: ConversationStore;
  supervision: AgentSupervision;
}

export function llmAgentFactory(deps: LlmFactoryDeps): AgentTypeFactory<LlmAgentConfig> {
  return {
    type: 'llm',
    validate() {
      return deps.llm ? [] : ['an llm agent needs an LLM: set LLM_PROVIDER and its API key first'];
    },
    async start(config) {
      const agent = await deps.supervision.start(config.name, () => new LlmAgent({ config, llm: deps.llm, conversations: deps.conversations }));
      return { id: agent.id };
    },
  };
}

/** A deleted llm agent's conversation goes with it (its key/value state is cleared by the system). */
export function forgetLlmAgent(conversations: ConversationStore, name: string): void {
  conversations.clear(name);
}
