// The `dynamic` agent type for the spawner: checks the code before anything starts, then runs a
// DynamicAgent under its own supervisor. A fresh spawn may have its code fixed by the LLM when it
// fails to start; the fixed code is what the spawner saves and what later restarts run, so a fix
// is asked for once, not at every restart or restore.
import { checkAgentCode, formatIssue } from '../../sandbox/validate.ts';
import { SCOPES, type Scope } from '../../sandbox/types.ts';
import type { AgentTypeFactory, SpawnOrigin } from '../spawner/agent-spawner.ts';
import type { SpawnMetaStore } from '../spawner/meta-store.ts';
import type { AgentSupervision } from '../spawner/supervision.ts';
import { DynamicAgent, type DynamicConfig } from './dynamic-agent.ts';
import type { AgentServices } from './services.ts';

export interface DynamicFactoryDeps {
  services: AgentServices;
  supervision: AgentSupervision;
  meta: SpawnMetaStore;
}

export function dynamicAgentFactory(deps: DynamicFactoryDeps): AgentTypeFactory<DynamicConfig> {
  return {
    type: 'dynamic',
    async validate(config) {
      // With an LLM, code that does not compile still gets its chance at self-correction when the
      // agent starts; without one, it is refused before anything runs.
      if (deps.services.llm !== undefined) return [];
      const check = await checkAgentCode(config.code);
      return check.ok ? [] : check.errors.map((e) => `code: ${formatIssue(e)}`);
    },
    async start(config, origin) {
      const meta = deps.meta.get(config.name);
      const scopes = meta?.scopes?.filter((s): s is Scope => (SCOPES as readonly string[]).includes(s));
      let current = config;
      const build = (first: boolean) =>
        new DynamicAgent({
          config: current,
          services: deps.services,
          ...(scopes ? { scopes } : {}),
          // Read at every (re)start: the owner's grant or revoke applies from the next start on.
          grants: deps.meta.get(config.name)?.grants ?? [],
          selfCorrect: first && wantsFix(origin),
          onCodeFixed: (code) => {
            current = { ...current, code };
          },
        });
      let first = true;
      const agent = await deps.supervision.start(config.name, () => {
        const a = build(first);
        first = false;
        return a;
      });
      return { id: agent.id, warnings: [...agent.warnings], ...(current !== config ? { config: current } : {}) };
    },
  };
}

function wantsFix(origin: SpawnOrigin): boolean {
  return origin.by !== 'restore';
}
