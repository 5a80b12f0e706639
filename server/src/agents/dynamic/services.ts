// The services a spawned agent is built with. One object, handed by the runtime to the spawner and
// from there to every agent type; each field is optional where a setup can run without it (no
// LLM configured, no Home Assistant, tests of one part).
import type { TraceSink } from '../ha/trace.ts';
import type { TopicBus } from '../../bus/topic-bus/topic-bus.ts';
import type { ActorSystem, LogSink } from '../../core/system.ts';
import type { HaClient } from '../../ha/client.ts';
import type { LlmService } from '../../llm/index.ts';
import type { HttpFetcher } from '../../sandbox/fetch/fetcher.ts';
import type { SandboxLimits } from '../../sandbox/limits.ts';
import type { Notifier } from './notifier.ts';

export interface AgentServices {
  system: ActorSystem;
  llm?: LlmService | undefined;
  ha?: HaClient | undefined;
  notifier?: Notifier | undefined;
  topicBus?: TopicBus | undefined;
  /** http.fetch under the sandbox policy (the default refuses every non-public address). */
  fetcher?: HttpFetcher | undefined;
  limits?: Partial<SandboxLimits> | undefined;
  logger?: LogSink | undefined;
  /** Where agent.trace steps go (the planner's rule trace recorder). */
  traces?: TraceSink | undefined;
  /** A spawned agent's description, for agent.agents(). */
  describe?: ((name: string) => string | undefined) | undefined;
}
