// The AgentHost of a DynamicAgent: what the sandbox's SDK functions reach, implemented with the
// real services: the actor system (sendTo/delegate as asks with hop counting), the shared MQTT bus
// (publish/subscribe/window under the topic rules of agent-topics.ts), the actor's durable store,
// the LLM service, the TopicBus, Home Assistant and the notifier.
import type { Bus } from '../../bus/bus.ts';
import type { Clock } from '../../core/clock.ts';
import type { Actor } from '../../core/actor.ts';
import { isTerminal } from '../../core/lifecycle.ts';
import type { ActorSystem } from '../../core/system.ts';
import { TOPICS } from '../../bus/topics.ts';
import { SdkError } from '../../sandbox/errors.ts';
import type {
  AgentHost, AgentSummary, AlertSeverity, BusMessage, CameraSnapshot, HaEntityState, HaServiceCall, HostWindow, Json, JsonObject,
  LlmChatRequest, LogLevel, Notification, SandboxErrorEvent, SendOptions, Unsubscribe, WindowOptions,
} from '../../sandbox/types.ts';
import type { LlmService } from '../../llm/index.ts';
import type { TraceSink } from '../ha/trace.ts';
import type { AgentContract } from './agent-contract.ts';
import { isTaskFailed, wrapTask } from './agent-task.ts';
import { publishTarget, relativeTopic, subscribeFilter, type AgentIdentity } from './agent-topics.ts';
import type { HaAccess } from './ha-access.ts';
import { openHostWindow } from './host-window.ts';
import { agentChat } from './llm-access.ts';
import type { Notifier } from './notifier.ts';
import { decodePayload, toJsonValue } from './payload.ts';

/** Kinds of actors that understand the hop envelope of agent-task.ts. */
const ENVELOPE_KINDS: ReadonlySet<string> = new Set(['dynamic', 'llm']);

/** What the DynamicAgent gives its host: itself, and the services it was built with. */
export interface HostContext {
  self: AgentIdentity;
  /** Owner of bus subscriptions (the actor), so its stop releases them all at once. */
  owner: object;
  bus: Bus | undefined;
  clock: Clock;
  system: ActorSystem;
  llm: LlmService | undefined;
  ha: HaAccess;
  notifier: Notifier | undefined;
  contract: AgentContract;
  /** Wall limit of a task the agent sends (the sandbox's handleTask limit). */
  askTimeoutMs: number;
  /** Paused or stopping agents do not react to messages. */
  isRunning(): boolean;
  persist(key: string, value: Json): void;
  recall(key: string): Json | undefined;
  /** Agents whose handleTask is waiting on the task this agent is handling. */
  waitingChain(): readonly string[];
  describe(name: string): string | undefined;
  log(level: LogLevel, message: string): void;
  alert(message: string, severity: AlertSeverity): void;
  /** The agent's rule trace (agent.trace); absent: not traced. */
  traces?: TraceSink | undefined;
  reportError(event: SandboxErrorEvent): void;
}

export class DynamicAgentHost implements AgentHost {
  readonly #c: HostContext;

  constructor(context: HostContext) {
    this.#c = context;
  }

  log(level: LogLevel, message: string): void {
    this.#c.log(level, message);
  }

  alert(message: string, severity: AlertSeverity): void {
    this.#c.alert(message, severity);
  }

  trace(label: string, detail: string | undefined): void {
    const { traces, self, clock } = this.#c;
    if (!traces?.wants(self.name)) return;
    const at = clock.now();
    traces.record({ agent: self.name, kind: 'agent', at, durationMs: 0, topic: null, message: null, outcome: 'step', steps: [{ kind: 'agent', label, ok: true, ...(detail !== undefined ? { detail } : {}), ms: 0 }] });
  }

  reportError(event: SandboxErrorEvent): void {
    this.#c.reportError(event);
  }

  async publish(topic: string, payload: Json): Promise<void> {
    const bus = this.#bus('agent.publish');
    const target = publishTarget(bus.root, topic, this.#c.self, bus.externalReads);
    if (target.key) {
      const parsed = TOPICS[target.key].schema.safeParse(payload);
      if (!parsed.success) throw new SdkError(`agent.publish: ${topic} is a system topic and expects ${describeSchemaError(parsed.error.issues)}`);
    }
    bus.publishRaw(target.topic, JSON.stringify(payload), { qos: target.qos });
    this.#c.contract.observed(topic, payload);
  }

  /** The owner's allowed filters outside the root (mqtt_read_topics), named as they are. */
  get externalReads(): readonly string[] {
    return this.#c.bus?.externalReads ?? [];
  }

  subscribe(filter: string, onMessage: (message: BusMessage) => void): Unsubscribe {
    const bus = this.#bus('agent.subscribe');
    const full = subscribeFilter(bus.root, filter, 'agent.subscribe', bus.externalReads);
    return bus.subscribeRaw(
      full,
      (topic, payload) => {
        if (this.#c.isRunning()) onMessage({ topic: relativeTopic(bus.root, topic), payload: decodePayload(payload) });
      },
      this.#c.owner,
    );
  }

  persist(key: string, value: Json): void {
    this.#c.persist(key, value);
  }

  recall(key: string): Json | undefined {
    return this.#c.recall(key);
  }

  llmChat(request: LlmChatRequest, signal: AbortSignal): Promise<string> {
    // Asked per call: a rule is indexed after its agents start, and an agent may join one later.
    return agentChat(this.#c.llm, this.#c.self.name, request, signal, this.#c.traces?.ruleOf?.(this.#c.self.name));
  }

  async sendTo(target: string, payload: Json, options: SendOptions): Promise<Json> {
    const { system, self } = this.#c;
    if (target === self.name || target === self.id) throw new SdkError(`agent.sendTo: an agent cannot send a task to itself ("${target}"); call the function directly`);
    const chain = this.#c.waitingChain();
    if (chain.includes(target)) {
      throw new SdkError(`agent.sendTo: "${target}" is waiting for this agent's answer (${[...chain, self.name].join(' -> ')}); asking it back would deadlock`);
    }
    const actor = system.get(target);
    if (!actor || isTerminal(actor.status)) throw new SdkError(`agent.sendTo: no agent named "${target}" is running${suggest(system.list(), target)}`);
    const body = ENVELOPE_KINDS.has(actor.kind) ? wrapTask(payload, options.hops, [...chain, self.name]) : payload;
    const answer = await abortable(system.ask(actor.id, body, { from: self.id, via: 'agent', timeoutMs: this.#c.askTimeoutMs }), options.signal);
    if (isTaskFailed(answer)) throw new SdkError(`${target}: ${answer.error}`);
    const json = toJsonValue(answer);
    if (json === undefined) throw new SdkError(`agent.sendTo: the answer of "${target}" is not JSON`);
    return json;
  }

  listAgents(): AgentSummary[] {
    return this.#c.system
      .list()
      .filter((a) => !isTerminal(a.status))
      .map((a) => {
        const description = this.#c.describe(a.name);
        return { name: a.name, type: a.kind, status: a.state, ...(description ? { description } : {}) };
      });
  }

  openWindow(topic: string, options: WindowOptions): HostWindow {
    const bus = this.#bus('agent.window');
    return openHostWindow(bus, subscribeFilter(bus.root, topic, 'agent.window', bus.externalReads), options, this.#c.clock, this.#c.owner);
  }

  declareContract(contract: JsonObject): void {
    for (const w of this.#c.contract.declare(contract)) this.#c.log('warn', `declareContract: ${w}`);
  }

  haGetState(entityId: string): Promise<HaEntityState | null> {
    return this.#c.ha.getState(entityId);
  }

  haCallService(call: HaServiceCall, signal: AbortSignal): Promise<Json> {
    return this.#c.ha.callService(call, signal);
  }

  haCameraSnapshot(entityId: string, signal: AbortSignal): Promise<CameraSnapshot> {
    return this.#c.ha.cameraSnapshot(entityId, signal);
  }

  async notify(notification: Notification, signal: AbortSignal): Promise<void> {
    if (!this.#c.notifier) throw new SdkError('agent.notify: no notification channel is configured');
    await this.#c.notifier.notify(this.#c.self.name, notification, signal);
  }

  #bus(method: string): Bus {
    if (!this.#c.bus) throw new SdkError(`${method}: this Wactorz runs without MQTT`);
    return this.#c.bus;
  }
}

function describeSchemaError(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || 'payload'}: ${i.message}`).join('; ');
}

function suggest(actors: readonly Actor[], target: string): string {
  const names = actors.filter((a) => !isTerminal(a.status)).map((a) => a.name);
  const close = names.filter((n) => n.includes(target) || target.includes(n)).slice(0, 3);
  return close.length ? ` (did you mean ${close.map((n) => `"${n}"`).join(', ')}?)` : '';
}

function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new SdkError('the agent stopped'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new SdkError('the agent stopped'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
