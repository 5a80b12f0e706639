// Main's system prompt, rebuilt for every exchange so it is never stale: who main is, how to
// spawn, delete and delegate, the agent SDK (generated from the sandbox registry, so the prompt
// cannot drift from what the sandbox accepts) with the device topics agents may read, the agents running now, what main remembers about
// the user, and which notification webhooks exist (their names only: the URLs are secrets).
import { externalTopicsSection } from '../../../bus/external-reads.ts';
import { sdkReference } from '../../../sandbox/sdk/reference.ts';
import type { Fact } from '../memory/facts-store.ts';
import { HOME_NOTE } from './home-tools.ts';

export interface PromptAgent {
  name: string;
  type: string;
  state?: string;
  node?: string;
  description?: string;
}

export interface PromptSources {
  agents(): PromptAgent[];
  facts(): Fact[];
  webhooks(): string[];
  /** Device topics outside the root agents may read (option mqtt_read_topics), shown with the SDK reference. */
  externalReads?: readonly string[];
  /** The turn came from an agent or the MQTT broker (trust.ts), not from the owner. */
  restricted?: boolean;
  /**
   * Main's one-call turn (home-tools.ts): Home Assistant requests come to main itself, and the
   * agent format and SDK reference (most of the prompt) come only when build_agent asks for them.
   */
  oneCall?: boolean;
}

const RESTRICTED_NOTE = `This conversation is with another agent or a client on the MQTT broker, not with the owner.
Answer and delegate tasks only: spawning and deleting agents, confirmations and approvals are refused on this channel, so do not write <spawn> or <delete> blocks; say that the owner can do it from the Wactorz panel.`;

const PERSONA = `You are Wactorz, the orchestrator of a multi-agent system running as a Home Assistant add-on.
You answer the user, and you create, remove and talk to live agents that keep running after this conversation.
Be brief and concrete. Device commands, Home Assistant questions and reactive rules are routed to specialist agents before they reach you; if one reaches you anyway, say what you can do.`;

const PERSONA_ONE_CALL = `You are Wactorz, the orchestrator of a multi-agent system running as a Home Assistant add-on.
You answer the user, control the home, and create, remove and talk to live agents that keep running after this conversation.
Be brief and concrete.`;

const BUILD_NOTE = 'To create or replace an agent, call build_agent first: it gives you the agent format and the SDK reference, then spawn it with spawn_agent.';

const SPAWN_FORMAT = `To start an agent, write one block per agent (it is removed from what the user sees and executed; you will be told the result):
<spawn>
{"name": "weather-agent", "type": "dynamic", "description": "Fetches the weather on request", "poll_interval": 3600,
 "code": "async function handleTask(agent, payload) { const r = await agent.http.fetch('https://wttr.in/' + (payload.city || 'Athens') + '?format=j1'); return (await r.json()).current_condition[0]; }"}
</spawn>
Fields: name (lowercase slug, unique), type, description, and per type:
- dynamic: code (JavaScript with setup/process/handleTask/cleanup), poll_interval (seconds), publishes, subscribes
- llm: system_prompt (a conversational agent)
- ha_actuator: mqtt_topics, detection_filter, conditions, cooldown_seconds, actions [{domain, service, entity_id, service_data}]
- scheduled: schedule ({daily:{at}} | {interval:{seconds}} | {cron:{expr}} | {sun:{event, offset}} ...), actions, publish_topic
"replace": true swaps a running agent of the same name. Never ask for trusted or unsandboxed execution: only the user can grant it.
To stop and remove a spawned agent: <delete>agent-name</delete>
To send a task to a running agent and show its answer: <delegate agent="agent-name">task text or {"json": "payload"}</delegate>
Only write these blocks when the user wants that action; never put them in examples or explanations.`;

export function mainSystemPrompt(sources: PromptSources): string {
  const persona = sources.oneCall ? PERSONA_ONE_CALL : PERSONA;
  const parts = sources.restricted ? [persona, RESTRICTED_NOTE] : sources.oneCall ? [persona, BUILD_NOTE] : [persona, SPAWN_FORMAT, `Agent SDK reference:\n${sdkReference()}`];
  // Without this the model names zigbee2mqtt/... under the root or not at all (the planner's section, bus/external-reads.ts).
  const external = externalTopicsSection(sources.externalReads);
  if (!sources.restricted && !sources.oneCall && external) parts.push(external);
  // Before the agents and facts, which change more often: the longer the unchanged start, the more a prompt cache keeps.
  if (sources.oneCall) parts.push(HOME_NOTE);

  const agents = sources.agents();
  parts.push(
    agents.length
      ? `Agents now:\n${agents
          .map((a) => `- ${a.name} (${a.type}${a.state ? `, ${a.state}` : ''}${a.node ? `, on ${a.node}` : ''})${a.description ? `: ${a.description}` : ''}`)
          .join('\n')}`
      : 'Agents now: none besides the system actors.',
  );

  const facts = sources.facts();
  if (facts.length) parts.push(`What you know about the user and the home (remembered from earlier conversations):\n${facts.map((f) => `- ${f.key}: ${f.value}`).join('\n')}`);

  const hooks = sources.webhooks();
  parts.push(
    hooks.length
      ? `Notification webhooks configured: ${hooks.join(', ')}. Rules and agents notify one with the target webhook:<name> (webhook:${hooks[0]}). Their URLs are secrets kept by the system; never ask for them, repeat them or put them in code.`
      : 'No notification webhooks are configured (the user can add one with /webhook discord|slack|telegram <url>, or /webhook <name> <url> for any other).',
  );
  return parts.join('\n\n');
}
