// What a switch or button in Home Assistant may do. Its command arrives over the MQTT broker, and
// anyone with broker credentials (every device of the home) can publish that topic, so it gets
// only what broker data may ever do (agents/main/trust.ts): switch a rule off or on, pause,
// resume or restart an agent that is not protected. Never delete, never touch main, the monitor
// or the HA agents, never enable a rule that acts on a lock, an alarm panel or a garage door
// (that was confirmed by the owner when approved; a forged ON must not bring it back once they
// switched it off). Disabling is always allowed: it only makes the home do less.
//
// This is a deliberately narrower door than `agents/{id}/commands`, where lifecycle commands are
// refused over MQTT (core/commands.ts): there any command and any actor could be named; here
// only these few, each checked below, and an option turns them off.

export interface RuleFacts {
  id: string;
  enabled: boolean;
  /** The sensitive entities or domains the rule's actions reach (empty when none). */
  sensitive: readonly string[];
}

export interface AgentFacts {
  name: string;
  protected: boolean;
}

export type Decision =
  | { ok: true; action: { kind: 'rule'; id: string; enabled: boolean } | { kind: 'agent'; name: string; command: 'pause' | 'resume' | 'restart' } }
  | { ok: false; reason: string };

const refuse = (reason: string): Decision => ({ ok: false, reason });

export function decideRule(cmd: string, rule: RuleFacts | undefined): Decision {
  if (!rule) return refuse('no such rule');
  if (cmd !== 'ON' && cmd !== 'OFF') return refuse(`payload ${JSON.stringify(cmd.slice(0, 20))} is not ON or OFF`);
  const enabled = cmd === 'ON';
  if (enabled && rule.sensitive.length > 0) {
    return refuse(`the rule acts on ${rule.sensitive.join(', ')}; enable it from the Wactorz panel or chat, where the owner confirms it`);
  }
  return { ok: true, action: { kind: 'rule', id: rule.id, enabled } };
}

export function decideAgent(kind: 'agent-pause' | 'agent-restart', cmd: string, agent: AgentFacts | undefined): Decision {
  if (!agent) return refuse('no such agent');
  if (agent.protected) return refuse(`${agent.name} is a protected system actor; it is managed from the Wactorz panel only`);
  if (kind === 'agent-restart') return cmd === 'PRESS' ? { ok: true, action: { kind: 'agent', name: agent.name, command: 'restart' } } : refuse('payload is not PRESS');
  if (cmd !== 'ON' && cmd !== 'OFF') return refuse(`payload ${JSON.stringify(cmd.slice(0, 20))} is not ON or OFF`);
  return { ok: true, action: { kind: 'agent', name: agent.name, command: cmd === 'ON' ? 'pause' : 'resume' } };
}
