// Privilege comes from the channel a message came from, never from the message. The panel, the
// API, the CLI on the machine and HA Assist carry an authenticated person: the owner's channels.
// Tasks from the MQTT broker (anyone with broker credentials: every device of the home) and from
// LLM-written agents run on a restricted channel: they get tasks and answers, and nothing that
// only the owner may do (confirm sensitive actions, approve plans, manage agents, change budgets,
// read or write memory, save webhooks). So does a Wyoming peer that cannot be shown to be Home
// Assistant (interfaces/wyoming/peers.ts): the protocol has no credentials, so it gets the
// broker's level. Assist turns through the companion integration from an HA user who is not an
// administrator, or from a satellite the owner marked as public, are restricted the same way
// (`assist_limited`; add-on options assist_non_admin and assist_limited_devices). Every refusal says why and where to do it instead.
import type { Via } from '../../core/messages.ts';
import type { Channel, TurnContext } from './turn-context.ts';

const RESTRICTED: ReadonlySet<Channel> = new Set<Channel>(['agent', 'mqtt', 'wyoming', 'assist_limited']);

const SOURCE: Partial<Record<Channel, string>> = {
  agent: 'an agent',
  mqtt: 'the MQTT broker',
  wyoming: 'an unauthenticated Wyoming client',
  assist_limited: 'a Home Assistant user who is not an administrator, or a voice satellite in a public room',
};

/** True when the turn has none of the owner's privileges. */
export function isRestricted(turn: Pick<TurnContext, 'channel'>): boolean {
  return RESTRICTED.has(turn.channel);
}

/**
 * How main marks what it passes on for a restricted turn, so system actors refuse it too. A
 * Wyoming peer is marked as the broker: system actors know the two untrusted sources, and an
 * unauthenticated network peer is the broker's kind.
 */
export function viaOf(turn: Pick<TurnContext, 'channel'>): Via | undefined {
  return turn.channel === 'mqtt' || turn.channel === 'wyoming' || turn.channel === 'assist_limited' ? 'mqtt' : turn.channel === 'agent' ? 'agent' : undefined;
}

/** "an agent" / "the MQTT broker": who asked, for refusals. */
export function sourceOf(turn: Pick<TurnContext, 'channel'>): string {
  return SOURCE[turn.channel] ?? `the ${turn.channel}`;
}

/** The answer when a restricted turn asks for something only the owner may do. */
export function ownerOnly(turn: Pick<TurnContext, 'channel'>, what: string): string {
  return `⛔ ${what} is only for the owner, from the Wactorz panel, Home Assistant Assist or the CLI; this request came from ${sourceOf(turn)}, so nothing was changed.`;
}
