// Topics must wire up: every filter a rule's agents listen on needs a producer, either another
// agent of the rule, an agent already running (TopicBus contracts and observed publishes), or a
// system producer (the HA state bridge, schedules). MQTT wildcards on either side are understood
// (filtersOverlap). A consumer nobody feeds is a rule that never fires.
import { isDeviceNamespace, isExternalRead, notAllowedReason } from '../../../bus/external-reads.ts';
import type { TopicRegistry } from '../../../bus/topic-bus/registry.ts';
import { bridgeGap, type StateBridgeScope } from '../../ha/state-bridge.ts';
import { filtersOverlap, isValidTopicFilter } from '../../../bus/topic-bus/topic-filter.ts';
import type { HomeSnapshot } from '../pipeline/home.ts';
import { isStateFilter, relativeTo, stateFilterCovers, stateTopic } from '../state-topics.ts';
import { issue, type ValidationIssue } from './issues.ts';
import type { AgentFacts } from './rule-graph.ts';

export interface TopicContext {
  home: HomeSnapshot;
  /** Live contracts and observed publishes of agents already running. */
  registry?: TopicRegistry;
  root?: string;
  /** Device topics outside the root the owner lets rules read (mqtt_read_topics). */
  externalReads?: readonly string[];
  /** What the HA state bridge publishes; absent: every domain, per entity. */
  stateBridge?: StateBridgeScope;
}

export function checkTopics(agents: readonly AgentFacts[], ctx: TopicContext): { errors: ValidationIssue[]; warnings: ValidationIssue[] } {
  const errors: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  const root = ctx.root ?? 'wactorz';
  for (const a of agents) {
    for (const filter of a.consumes) {
      if (!isValidTopicFilter(filter)) {
        errors.push(issue('topic', `listens on "${filter}", which is not a valid MQTT topic filter`, a.name));
        continue;
      }
      if (!isExternalRead(ctx.externalReads, filter) && isDeviceNamespace(ctx.externalReads, filter)) {
        errors.push(issue('topic', `listens on "${filter}", but ${notAllowedReason(ctx.externalReads)}`, a.name));
        continue;
      }
      const gap = bridgeGap(ctx.stateBridge, filter);
      if (gap) {
        errors.push(issue('topic', `listens on "${filter}", but ${gap}`, a.name));
        continue;
      }
      const producer = producerOf(filter, a.name, agents, ctx, root);
      if (!producer) {
        const published = agents.filter((o) => o.name !== a.name).flatMap((o) => o.produces);
        const hint = isStateFilter(filter)
          ? `; Home Assistant state changes arrive on ha/state_changes/<domain>/<entity_id>, e.g. ${stateTopic([...ctx.home.entities.keys()][0] ?? 'light.kitchen')}`
          : published.length ? `; the rule's agents publish ${published.map((t) => `"${t}"`).join(', ')}` : '';
        errors.push(issue('dangling_topic', `listens on "${filter}" but nothing publishes there${hint}`, a.name));
      }
    }
    if (a.code && a.code.dynamicTopics > 0) warnings.push(issue('topic', 'builds a topic name at run time; its wiring cannot be checked before it runs', a.name));
  }
  return { errors, warnings };
}

function producerOf(filter: string, consumer: string, agents: readonly AgentFacts[], ctx: TopicContext, root: string): string | undefined {
  // Devices publish there, outside Wactorz: the owner allowed reading it, nothing here can tell more.
  if (isExternalRead(ctx.externalReads, filter)) return 'a device topic the owner allowed (mqtt_read_topics)';
  if (isStateFilter(filter)) {
    // The state bridge publishes one topic per entity: the filter must cover at least one that exists.
    const entity = [...ctx.home.entities.keys()].find((id) => stateFilterCovers(filter, id));
    if (entity) return 'the Home Assistant state bridge';
  }
  for (const o of agents) {
    if (o.name === consumer) continue;
    if (o.produces.some((t) => filtersOverlap(t, filter))) return o.name;
  }
  const reg = ctx.registry;
  if (reg) {
    const live = reg.producersOf(filter).find((p) => p.agent !== consumer);
    if (live) return live.agent;
    const observed = reg.observedTopics().map((t) => relativeTo(root, t)).find((t) => filtersOverlap(t, filter));
    if (observed) return `live traffic on ${observed}`;
  }
  return undefined;
}
