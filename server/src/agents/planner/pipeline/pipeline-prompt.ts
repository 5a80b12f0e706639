// The pipeline prompt: the canonical wiring patterns (adapted to this system: an ha_actuator
// filters on dotted paths such as new_state.state, and scheduled agents call services
// themselves, so most rules need one declarative agent), the home as discovered, live topic
// samples, the agent SDK for code, and the JSON answer format.
import { sdkReference } from '../../../sandbox/sdk/reference.ts';
import type { StateBridgeScope } from '../../ha/state-bridge.ts';
import type { Discovery } from './discovery.ts';
import { PATTERNS } from './pipeline-plan.ts';

const PATTERN_GUIDE = `CANONICAL PATTERNS (pick exactly one):
1. ha_sensor_action — an HA state change triggers HA services. ONE ha_actuator:
   {"type":"ha_actuator","name":"<slug>-actuator","mqtt_topics":["ha/state_changes/<domain>/<entity_id>"],
    "detection_filter":{"new_state.state":"on"}, "conditions":[], "cooldown_seconds":10,
    "actions":[{"domain":"light","service":"turn_on","target":{"entity_id":["light.hallway"]}}]}
   Numeric thresholds: "detection_filter":{"new_state.state":{"gt":28}}. A transition: {"old_state.state":"off","new_state.state":"on"}.
   A state that must LAST ("open for more than 10 minutes", "no motion for 30 minutes"): add "for_seconds":600 and filter on
   the state that must hold ({"new_state.state":"open"}); the actuator waits, cancels if the state changes, and survives
   restarts. Never build such a wait in dynamic code.
2. ha_sensor_notification — an HA state change sends a notification. ONE ha_actuator whose action is a notify service:
   "actions":[{"domain":"notify","service":"<notify target>","service_data":{"title":"Home","message":"Front door opened"}}]
   To a CHAT TARGET or a WEBHOOK instead: {"domain":"notify","service":"chat_channel","service_data":{"target":"<chat target or webhook:name>","title":"Home","message":"Front door opened"}}
3. camera_detection_action — a dynamic detector + an ha_actuator. The detector's process(agent) takes
   await agent.ha.cameraSnapshot('<camera>'), asks await agent.llm.chat('<question>', { images: [img] }) and publishes
   await agent.publish('custom/detections/<slug>', { detected: true|false, target: '<what>', objects: [...] }) (poll_interval 5-30 s).
   The ha_actuator listens on "custom/detections/<slug>" with "detection_filter":{"detected":true}.
4. camera_detection_notification — the same detector; its ha_actuator calls a notify service.
5. schedule_action — ONE scheduled agent that calls the services itself:
   {"type":"scheduled","name":"<slug>-schedule","schedule":{"kind":"daily","at":"00:00"},"publish_topic":"schedule/<slug>-schedule/fired","actions":[...]}
   schedule kinds: daily{at}, weekly{at,days:["mon",...]}, interval{seconds}, once{at: ISO time}, cron{expr}, sun{event:"sunset",offset:seconds}.
   Never poll the clock in code.
6. mqtt_condition_action — data on MQTT topics and a condition across them: a dynamic monitor subscribes to the topics,
   keeps the latest values in agent.state, and when the condition holds publishes
   await agent.publish('custom/triggers/<slug>', { triggered: true }); an ha_actuator on "custom/triggers/<slug>"
   with "detection_filter":{"triggered":true} acts. Conditions on HA entities belong in the ha_actuator's "conditions"
   ([{"entity_id":"sun.sun","attribute":"state","operator":"eq","value":"below_horizon"}]) instead.
7. camera_snapshot — one dynamic agent whose setup(agent) takes one snapshot, describes it with agent.llm.chat and
   reports with agent.log / agent.notify / agent.persist.

RULES:
- Use ONLY entity ids and services listed below; every topic is relative (no "wactorz/" prefix).
- HA state changes arrive on ha/state_changes/<domain>/<entity_id> (light.hallway -> ha/state_changes/light/light.hallway)
  with payload {entity_id, domain, new_state: {state, attributes}, old_state}. Agents may not publish on ha/... topics.
- Every topic an agent listens on must be published by another agent of the plan, by the state bridge, or appear in the live samples.
- A rule must not trigger itself: never act on the entity its trigger watches in a way that matches the trigger again.
- Agent names: lowercase slugs, unique, starting with a short slug of the rule.
- Dynamic code is JavaScript for the sandbox below (never Python, no require/import/fetch/timers).
- Prefer declarative agents (ha_actuator, scheduled); use dynamic code only when the pattern needs it.
- Locks, alarm panels and garage/door covers are acted on only by an ha_actuator's or scheduled agent's "actions"
  (the user's approval confirms them), never by agent.ha.callService in code.`;

/**
 * What the state bridge publishes when the owner narrowed it (ha_bridge_domains,
 * ha_bridge_per_entity_topics), so the model plans within it; validation (bridgeGap) refuses a
 * rule triggered elsewhere anyway, but only after an LLM call spent on a plan that cannot run.
 * Empty when the bridge publishes every domain per entity.
 */
export function bridgeScopeSection(scope: StateBridgeScope | undefined): string {
  if (!scope) return '';
  if (scope.perEntity === false) {
    return `STATE BRIDGE: Home Assistant state changes are NOT published per entity (the add-on option ha_bridge_per_entity_topics is off), so no agent can listen on ha/state_changes/<domain>/<entity_id>. Entities can still be read in an ha_actuator's "conditions". If the rule must be triggered by a Home Assistant state change, answer {"feasible": false} naming that option.`;
  }
  const domains = scope.domains ?? [];
  if (domains.length === 0) return '';
  return `STATE BRIDGE: state changes are published ONLY for these domains (the add-on option ha_bridge_domains): ${domains.join(', ')}. Listen only on ha/state_changes/<domain>/... of these domains; entities of other domains can still be read in an ha_actuator's "conditions" and acted on. If the rule must be triggered by another domain, answer {"feasible": false} saying which domain to add to ha_bridge_domains.`;
}

export function pipelineSystem(d: Discovery, bridge?: StateBridgeScope): string {
  const scope = bridgeScopeSection(bridge);
  const none = d.chatTargets.length || d.webhookTargets.length ? `(none: use a ${d.chatTargets.length ? 'chat target' : 'webhook'})` : '(none: notifications are not possible)';
  const notify = d.notifyTargets.length ? d.notifyTargets.map((t) => `notify.${t}`).join(', ') : none;
  return `You design reactive rules (pipelines) for a Home Assistant multi-agent system. The user describes a rule; you answer with a plan of agents to spawn.

${PATTERN_GUIDE}
${scope ? `\n${scope}\n` : ''}
HOME ASSISTANT ENTITIES (area -> entity "name" = state [device class]):
${d.entityMap || '(none)'}

NOTIFY SERVICES: ${notify}
${d.chatTargets.length ? `CHAT TARGETS (the user's Telegram, Discord or WhatsApp, through notify.chat_channel): ${d.chatTargets.join(', ')}\n` : ''}${d.webhookTargets.length ? `WEBHOOKS (saved by the user; "on Slack/Discord" means the one of that name; through notify.chat_channel): ${d.webhookTargets.join(', ')}\n` : ''}${d.cameras ? `\nCAMERAS (snapshot and stream URLs resolved):\n${d.cameras}\n` : ''}${d.topicSamples ? `\n${d.topicSamples}\n` : ''}
AGENT SDK (for dynamic agents' code):
${sdkReference()}

ANSWER with ONE JSON object and nothing else:
{"feasible": true, "pattern": "<one of ${PATTERNS.join(' | ')}>", "title": "<short title>", "summary": "<one sentence: what the rule does>",
 "agents": [{"name": "<slug>", "description": "<what this agent does>", "spawn_config": {<spawn config with "type">}}],
 "trigger": null | {"entity_id": "<entity>", "filter": {<detection filter on the state-change payload>}}}
Set "trigger" only when the triggering state change is evaluated in dynamic code (so it can be backtested).
If the home cannot do what is asked, answer {"feasible": false, "reason": "<what is missing, in one sentence>"}.`;
}

export function pipelineUser(request: string, previous?: { plan: unknown; errors?: readonly string[]; correction?: string; editing?: boolean }): string {
  if (!previous) return `Rule: ${request}`;
  const parts = [`Rule: ${request}`, previous.editing ? `This rule is running with this plan:\n${JSON.stringify(previous.plan)}\nKeep each agent's name where the agent stays: it is swapped in place.` : `Your previous plan:\n${JSON.stringify(previous.plan)}`];
  if (previous.errors?.length) parts.push(`It failed validation:\n${previous.errors.map((e) => `- ${e}`).join('\n')}\nAnswer with a corrected plan.`);
  if (previous.correction) parts.push(`The user wants this change: ${previous.correction}\nAnswer with the complete revised plan.`);
  return parts.join('\n\n');
}
