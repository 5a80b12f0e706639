// `main` as an actor of the system: protected (refuses stop/pause/delete), supervised, visible in
// /agents and the panel with its heartbeat, and addressable by other agents (agent.sendTo('main',
// ...), agents/by-name/main/task). A task is a chat turn on a restricted channel (trust.ts):
// `mqtt` when it came from the broker, `agent` otherwise; a sender's name is only an address, it
// grants nothing. The answer comes back when the turn ends, without holding the mailbox meanwhile.
// User chat does not go through the mailbox: process() runs turns of different conversations
// concurrently on the owner's channels.
import { Actor, type ActorOptions } from '../../core/actor.ts';
import type { Message } from '../../core/messages.ts';
import type { Orchestrator } from './orchestrator.ts';

export const MAIN_ACTOR_NAME = 'main';

/**
 * Agent tasks answered concurrently. The mailbox is bounded, but a task leaves it at once (its
 * turn runs outside), so without this cap a flood of tasks would queue turns without limit.
 * Past it, a task is refused with a reply saying so; the turns already accepted all complete.
 */
export const MAX_AGENT_TURNS = 32;

export class MainActor extends Actor {
  readonly #orchestrator: Orchestrator;

  constructor(orchestrator: Orchestrator, opts: Partial<ActorOptions> = {}) {
    super({ name: MAIN_ACTOR_NAME, kind: 'orchestrator', protected: true, acceptsUntrustedTasks: true, ...opts });
    this.#orchestrator = orchestrator;
  }

  protected handle(msg: Message): unknown {
    switch (msg.type) {
      case 'task': {
        const text = textOf(msg.payload);
        if (text === undefined) return { error: 'main expects a text task: a string or {"text": "..."}' };
        const from = msg.from ?? 'agent';
        // Whatever `from` claims (over MQTT anyone can write anything there), the turn is restricted.
        const channel = msg.via === 'mqtt' ? 'mqtt' : 'agent';
        // Answered later, outside the mailbox, so other agents' tasks are not queued behind an LLM call.
        return this.answerLater(
          msg,
          async () => {
            const r = await this.#orchestrator.ask(text, { user: { id: `${channel}:${from}` }, channel, conversationId: `${channel}-${from}`.slice(0, 200), signal: this.signal });
            return { text: r.reply, agent: r.agent, route: r.route };
          },
          { maxInFlight: MAX_AGENT_TURNS, busy: (n) => ({ error: `main is busy: ${n} agent tasks are being answered; send this one again later` }) },
        );
      }
      case 'result':
      case 'error':
      case 'command':
      case 'event':
      case 'heartbeat':
        return undefined;
    }
  }
}

function textOf(payload: unknown): string | undefined {
  if (typeof payload === 'string') return payload;
  if (payload !== null && typeof payload === 'object') {
    const p = payload as Record<string, unknown>;
    for (const k of ['text', 'message', 'task', 'prompt']) if (typeof p[k] === 'string') return p[k];
  }
  return undefined;
}
