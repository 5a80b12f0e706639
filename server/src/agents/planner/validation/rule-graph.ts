// The facts of a planned rule that validation, backtests and approval reason about: per agent,
// the topics it consumes and produces, the HA actions it takes and the entities it names, from
// the declarative spawn fields and from a scan of dynamic code.
import type { SpawnConfig, SpawnType } from '../../spawn-config/config-schema.ts';
import type { DetectionFilter } from '../../spawn-config/detection-filter.ts';
import type { HaAction, HaCondition } from '../../../ha/action.ts';
import { entitiesOf } from '../../ha/service-calls.ts';
import { relativeTo } from '../state-topics.ts';
import { scanCode, type CodeFacts } from './code-scan.ts';

export interface ActionFact {
  agent: string;
  domain: string;
  service: string;
  entityIds: string[];
  /** The declarative action, when the agent declares one (code calls have none). */
  action: HaAction | undefined;
}

export interface EntityRef {
  agent: string;
  entityId: string;
  where: string;
}

export interface AgentFacts {
  name: string;
  type: SpawnType;
  consumes: string[];
  produces: string[];
  actions: ActionFact[];
  entityRefs: EntityRef[];
  code: CodeFacts | undefined;
  filter: DetectionFilter | undefined;
  conditions: HaCondition[];
  cooldownSeconds: number;
}

export function agentFacts(config: SpawnConfig, root = 'wactorz'): AgentFacts {
  const rel = (t: string) => relativeTo(root, t);
  const base = { name: config.name, type: config.type, code: undefined, filter: undefined, conditions: [] as HaCondition[], cooldownSeconds: 0 };
  const declared = (type: string, actions: readonly HaAction[]): { actions: ActionFact[]; refs: EntityRef[] } => ({
    actions: actions.map((a) => ({ agent: config.name, domain: a.domain, service: a.service, entityIds: entitiesOf(a), action: a })),
    refs: actions.flatMap((a, i) => entitiesOf(a).map((entityId) => ({ agent: config.name, entityId, where: `${type} actions[${i}]` }))),
  });
  switch (config.type) {
    case 'dynamic': {
      const code = scanCode(config.code);
      const actions = code.services.map((s) => ({ agent: config.name, domain: s.domain, service: s.service, entityIds: s.entityIds, action: undefined }));
      return {
        ...base,
        code,
        consumes: unique([...config.subscribes, ...code.subscribes].map(rel)),
        produces: unique([...config.publishes, ...code.publishes].map(rel)),
        actions,
        entityRefs: code.entityIds.map((entityId) => ({ agent: config.name, entityId, where: 'code' })),
      };
    }
    case 'llm':
      return { ...base, consumes: config.subscribes.map(rel), produces: config.publishes.map(rel), actions: [], entityRefs: [] };
    case 'ha_actuator': {
      const d = declared('ha_actuator', config.actions);
      const condRefs = config.conditions.map((c, i) => ({ agent: config.name, entityId: c.entity_id, where: `conditions[${i}]` }));
      return {
        ...base,
        consumes: unique([...config.mqtt_topics, ...config.subscribes].map(rel)),
        produces: config.publishes.map(rel),
        actions: d.actions,
        entityRefs: [...d.refs, ...condRefs],
        filter: config.detection_filter ?? undefined,
        conditions: config.conditions,
        cooldownSeconds: config.cooldown_seconds,
      };
    }
    case 'scheduled': {
      const d = declared('scheduled', config.actions);
      return { ...base, consumes: config.subscribes.map(rel), produces: unique([config.publish_topic, ...config.publishes].map(rel)), actions: d.actions, entityRefs: d.refs };
    }
  }
}

export function ruleFacts(configs: readonly SpawnConfig[], root?: string): AgentFacts[] {
  return configs.map((c) => agentFacts(c, root));
}

function unique(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}
