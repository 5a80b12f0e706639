// The AgentHost of an agent on a Raspberry Pi: the same sandbox SDK as on the server, reached over
// the edge runner's MQTT connection. Topics follow the server's rules (agent-topics.ts, reused):
// relative to the root, control topics refused. persist/recall go to a JSON file on the Pi.
// sendTo is an MQTT round trip on agents/by-name/{name}/task matched by correlation id. There is
// no LLM and no Home Assistant on the edge: those calls are refused with what to do instead.
import { randomBytes } from 'node:crypto';
import type { Bus } from '../../server/src/bus/bus.ts';
import { TOPICS } from '../../server/src/bus/topics.ts';
import type { Clock } from '../../server/src/core/clock.ts';
import { publishTarget, relativeTopic, subscribeFilter, type AgentIdentity } from '../../server/src/agents/dynamic/agent-topics.ts';
import { openHostWindow } from '../../server/src/agents/dynamic/host-window.ts';
import { decodePayload } from '../../server/src/agents/dynamic/payload.ts';
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
  /** Wall limit of a task this agent sends (the sandbox's handleTask limit). */
  askTimeoutMs: number;
  isRunning(): boolean;
  listAgents(): AgentSummary[];
  onError(event: SandboxErrorEvent): void;
}

const SEVERITY = { warning: 'warning', error: 'degraded', critical: 'critical', fatal: 'fatal' } as const;

export class EdgeAgentHost implements AgentHost {
  readonly #c: EdgeHostContext;
  /** Owner of this agent's subscriptions on the shared link. */
  readonly owner = {};

  constructor(context: EdgeHostContext) {
    this.#c = context;
  }

  #topic(suffix: string): string {
    return `${this.#c.link.root}/agents/${this.#c.self.id}/${suffix}`;
  }

  log(level: LogLevel, message: string): void {
    this.#c.link.publishRaw(this.#topic('logs'), { type: 'log', level, message, node: this.#c.node, ts: this.#c.clock.now() });
  }

  alert(message: string, severity: AlertSeverity): void {
    this.#c.link.publishRaw(this.#topic('alert'), { type: 'agent', message, severity, node: this.#c.node, ts: this.#c.clock.now() }, { qos: 1 });
  }

  reportError(event: SandboxErrorEvent): void {
    this.#c.link.publishRaw(this.#topic('errors'), { phase: event.phase, severity: SEVERITY[event.severity], message: event.message, name: this.#c.self.name, node: this.#c.node, ts: this.#c.clock.now() }, { qos: 1 });
    this.#c.onError(event);
  }

  async publish(topic: string, payload: Json): Promise<void> {
    const target = publishTarget(this.#c.link.root, topic, this.#c.self);
    if (target.key) {
      const parsed = TOPICS[target.key].schema.safeParse(payload);
      if (!parsed.success) throw new SdkError(`agent.publish: ${topic} is a system topic and expects ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || 'payload'}: ${i.message}`).join('; ')}`);
    }
    this.#c.link.publishRaw(target.topic, JSON.stringify(payload), { qos: target.qos });
  }

  subscribe(filter: string, onMessage: (message: BusMessage) => void): Unsubscribe {
    const root = this.#c.link.root;
    return this.#c.link.subscribeRaw(
      subscribeFilter(root, filter),
      (topic, payload) => {
        if (this.#c.isRunning()) onMessage({ topic: relativeTopic(root, topic), payload: decodePayload(payload) });
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

  sendTo(target: string, payload: Json, options: SendOptions): Promise<Json> {
    const { link, clock, self } = this.#c;
    if (target === self.name || target === self.id) return Promise.reject(new SdkError(`agent.sendTo: an agent cannot send a task to itself ("${target}"); call the function directly`));
    const correlationId = randomBytes(9).toString('base64url');
    const replyTopic = `${link.root}/nodes/${this.#c.node}/replies/${correlationId}`;
    return new Promise<Json>((resolve, reject) => {
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        timer.cancel();
        unsubscribe();
        options.signal.removeEventListener('abort', onAbort);
        fn();
      };
      const onAbort = () => finish(() => reject(new SdkError('the agent stopped')));
      const unsubscribe = link.subscribeRaw(replyTopic, (_t, raw) => {
        const r = decodePayload(raw) as { status?: unknown; correlation_id?: unknown; data?: Json; error?: { message?: unknown } } | null;
        if (r === null || typeof r !== 'object' || r.correlation_id !== correlationId) return;
        if (r.status === 'ok') finish(() => resolve(r.data ?? null));
        else if (r.status === 'error') finish(() => reject(new SdkError(`${target}: ${typeof r.error?.message === 'string' ? r.error.message : 'the task failed'}`)));
      }, this.owner);
      const timer = clock.setTimeout(() => finish(() => reject(new SdkError(`agent.sendTo: "${target}" did not answer within ${Math.round(this.#c.askTimeoutMs / 1000)} s (is it running, and is Wactorz reachable from this node?)`))), this.#c.askTimeoutMs);
      options.signal.addEventListener('abort', onAbort, { once: true });
      link.publishRaw(`${link.root}/agents/by-name/${target}/task`, { payload, from: self.name, correlation_id: correlationId, reply_topic: replyTopic, hops: options.hops }, { qos: 1 });
    });
  }

  listAgents(): AgentSummary[] {
    return this.#c.listAgents();
  }

  openWindow(topic: string, options: WindowOptions): HostWindow {
    const root = this.#c.link.root;
    // The window helper only calls subscribeRaw: the link has the same shape as the server Bus there.
    return openHostWindow(this.#c.link as unknown as Bus, subscribeFilter(root, topic), options, this.#c.clock, this.owner);
  }

  declareContract(contract: JsonObject): void {
    // The server's TopicBus lives in Wactorz; the contract is published beside the agent for it to read.
    this.#c.link.publishRaw(this.#topic('manifest'), { ...contract, name: this.#c.self.name, node: this.#c.node }, { qos: 1, retain: true });
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
