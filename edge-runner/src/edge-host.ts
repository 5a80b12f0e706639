// The AgentHost of an agent on a Raspberry Pi: the same sandbox SDK as on the server, reached over
// the edge runner's MQTT connection. Topics follow the server's rules (agent-topics.ts, reused):
// relative to the root, control topics refused; outside the root only the device topics the owner
// allowed (mqtt_read_topics, sent with each signed spawn), read as they are and never published
// to, their payloads over the server's size limit dropped. persist/recall go to a JSON file on the Pi.
// sendTo is an MQTT round trip on agents/by-name/{name}/task matched by correlation id, answered
// on nodes/{node}/replies/{correlation_id} (bus/task-request.ts, as main does). There is no LLM and
// no Home Assistant on the edge: those calls are refused with what to do instead.
import { sendTask } from '../../server/src/bus/task-request.ts';
import { TOPICS, isUnderRoot } from '../../server/src/bus/topics.ts';
import type { Clock } from '../../server/src/core/clock.ts';
import { publishTarget, relativeTopic, subscribeFilter, type AgentIdentity } from '../../server/src/agents/dynamic/agent-topics.ts';
import { openHostWindow } from '../../server/src/agents/dynamic/host-window.ts';
import { decodePayload, toJsonValue } from '../../server/src/agents/dynamic/payload.ts';
import { EXTERNAL_MAX_PAYLOAD_BYTES } from '../../server/src/bus/external-reads.ts';
import { SdkError } from '../../server/src/sandbox/errors.ts';
import type {
  AgentHost, AgentSummary, AlertSeverity, BusMessage, CameraSnapshot, HaEntityState, HostWindow, Json, JsonObject,
  LogLevel, SandboxErrorEvent, SendOptions, Unsubscribe, WindowOptions,
} from '../../server/src/sandbox/types.ts';
import type { AgentKv } from './kv-file.ts';
import type { EdgeLink } from './link.ts';

export const LLM_REFUSED = 'agent.llm.chat is not available on a remote node (there is no LLM provider on the edge). Ask the main agent instead: await agent.sendTo("main", { text: prompt }) returns its answer.';
const HA_REFUSED = 'is not available on a remote node (there is no Home Assistant connection on the edge). Publish a value (agent.publish("custom/...")) and let an agent in Wactorz act on it, or agent.sendTo one of them.';

export interface EdgeHostContext {
  self: AgentIdentity;
  node: string;
  link: EdgeLink;
  clock: Clock;
  kv: AgentKv;
  /** The owner's device topics outside the root this agent may read (checked by the runner); empty: none. */
  externalReads: readonly string[];
  /** Wall limit of a task this agent sends (the sandbox's handleTask limit). */
  askTimeoutMs: number;
  isRunning(): boolean;
  listAgents(): AgentSummary[];
  onError(event: SandboxErrorEvent): void;
}

const SEVERITY = { warning: 'warning', error: 'degraded', critical: 'critical', fatal: 'fatal' } as const;
// As a dynamic agent in Wactorz reports it (dynamic-agent.ts): the bus's alert severities have no
// `info`, so it travels as a warning with the agent's own level beside it.
const ALERT = { info: 'warning', warning: 'warning', critical: 'critical' } as const;

export class EdgeAgentHost implements AgentHost {
  readonly #c: EdgeHostContext;
  /** Owner of this agent's subscriptions on the shared link. */
  readonly owner = {};

  constructor(context: EdgeHostContext) {
    this.#c = context;
  }

  get #me(): { id: string } {
    return { id: this.#c.self.id };
  }

  log(level: LogLevel, message: string): void {
    this.#c.link.publish('agentLogs', this.#me, { type: 'log', level, message, node: this.#c.node, ts: this.#c.clock.now() });
  }

  alert(message: string, severity: AlertSeverity): void {
    this.#c.link.publish('agentAlert', this.#me, { type: 'agent', message, severity: ALERT[severity], level: severity, node: this.#c.node, ts: this.#c.clock.now() });
  }

  reportError(event: SandboxErrorEvent): void {
    this.#c.link.publish('agentErrors', this.#me, { phase: event.phase, severity: SEVERITY[event.severity], message: event.message, name: this.#c.self.name, node: this.#c.node, ts: this.#c.clock.now() });
    this.#c.onError(event);
  }

  async publish(topic: string, payload: Json): Promise<void> {
    const target = publishTarget(this.#c.link.root, topic, this.#c.self, this.#c.externalReads);
    if (target.key) {
      const parsed = TOPICS[target.key].schema.safeParse(payload);
      if (!parsed.success) throw new SdkError(`agent.publish: ${topic} is a system topic and expects ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || 'payload'}: ${i.message}`).join('; ')}`);
    }
    this.#c.link.publishRaw(target.topic, JSON.stringify(payload), { qos: target.qos });
  }

  /** The owner's allowed filters outside the root, named as they are (the SDK's read check uses them). */
  get externalReads(): readonly string[] {
    return this.#c.externalReads;
  }

  subscribe(filter: string, onMessage: (message: BusMessage) => void): Unsubscribe {
    const root = this.#c.link.root;
    return this.#subscribeRaw(subscribeFilter(root, filter, 'agent.subscribe', this.#c.externalReads), (topic, payload) => {
      if (this.#c.isRunning()) onMessage({ topic: relativeTopic(root, topic), payload: decodePayload(payload) });
    });
  }

  /**
   * The link's subscription, with the server bus's rule for topics outside the root: anyone on
   * the broker may publish there, so a payload over the size limit is dropped before any parse.
   */
  #subscribeRaw(full: string, handler: (topic: string, payload: Buffer) => void): Unsubscribe {
    const external = !isUnderRoot(this.#c.link.root, full);
    return this.#c.link.subscribeRaw(
      full,
      (topic, payload) => {
        if (external && payload.length > EXTERNAL_MAX_PAYLOAD_BYTES) return;
        handler(topic, payload);
      },
      this.owner,
    );
  }

  persist(key: string, value: Json): void {
    this.#c.kv.set(key, value);
  }

  recall(key: string): Json | undefined {
    return this.#c.kv.get(key);
  }

  llmChat(): Promise<string> {
    return Promise.reject(new SdkError(LLM_REFUSED));
  }

  async sendTo(target: string, payload: Json, options: SendOptions): Promise<Json> {
    const { link, clock, self } = this.#c;
    if (target === self.name || target === self.id) throw new SdkError(`agent.sendTo: an agent cannot send a task to itself ("${target}"); call the function directly`);
    const outcome = await sendTask({
      link, clock, to: target, payload, from: self.name, replyTo: { node: this.#c.node },
      timeoutMs: this.#c.askTimeoutMs, signal: options.signal, hops: options.hops, owner: this.owner,
    });
    if (outcome.ok) return toJsonValue(outcome.data) ?? null;
    switch (outcome.code) {
      case 'aborted':
        throw new SdkError('the agent stopped');
      case 'timeout':
        throw new SdkError(`agent.sendTo: "${target}" did not answer within ${Math.round(this.#c.askTimeoutMs / 1000)} s (is it running, and is Wactorz reachable from this node?)`);
      case 'task_failed':
        throw new SdkError(`${target}: ${outcome.message}`);
      case 'unaddressable':
        throw new SdkError(`agent.sendTo: "${target}" cannot be an agent's name (${outcome.message})`);
    }
  }

  listAgents(): AgentSummary[] {
    return this.#c.listAgents();
  }

  openWindow(topic: string, options: WindowOptions): HostWindow {
    const root = this.#c.link.root;
    const full = subscribeFilter(root, topic, 'agent.window', this.#c.externalReads);
    return openHostWindow({ subscribeRaw: (f, h) => this.#subscribeRaw(f, h) }, full, options, this.#c.clock, this.owner);
  }

  declareContract(contract: JsonObject): void {
    // The server's TopicBus lives in Wactorz; the contract is published beside the agent for it to read.
    this.#c.link.publish('agentManifest', this.#me, { ...contract, name: this.#c.self.name, node: this.#c.node });
  }

  haGetState(): Promise<HaEntityState | null> {
    return Promise.reject(new SdkError(`agent.ha.getState ${HA_REFUSED}`));
  }

  haCallService(): Promise<Json> {
    return Promise.reject(new SdkError(`agent.ha.callService ${HA_REFUSED}`));
  }

  haCameraSnapshot(): Promise<CameraSnapshot> {
    return Promise.reject(new SdkError(`agent.ha.cameraSnapshot ${HA_REFUSED}`));
  }

  notify(): Promise<void> {
    return Promise.reject(new SdkError('agent.notify is not available on a remote node; agent.sendTo an agent in Wactorz, or agent.alert(message), which reaches the panel.'));
  }
}
