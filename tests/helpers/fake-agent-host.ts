// An in-memory AgentHost for sandbox tests: records every call, serves scripted answers, and lets
// a test push bus messages to what an agent subscribed to.
import { matches as topicMatches } from '../../server/src/bus/match.ts';
import { SandboxedAgent, type SandboxedAgentOptions } from '../../server/src/sandbox/agent.ts';
import type {
  AgentHost, AgentSummary, AlertSeverity, BusMessage, CameraSnapshot, HaEntityState, HaServiceCall, HostWindow, Json, JsonObject,
  LlmChatRequest, LogLevel, Notification, SandboxErrorEvent, SendOptions, Unsubscribe, WindowOptions, WindowQuery,
} from '../../server/src/sandbox/types.ts';

export class FakeAgentHost implements AgentHost {
  logs: { level: LogLevel; message: string }[] = [];
  alerts: { message: string; severity: AlertSeverity }[] = [];
  errors: SandboxErrorEvent[] = [];
  published: BusMessage[] = [];
  kv = new Map<string, Json>();
  llmRequests: LlmChatRequest[] = [];
  llmReply: (request: LlmChatRequest, signal: AbortSignal) => Promise<string> = async (r) => `echo: ${r.prompt ?? ''}`;
  sent: { target: string; payload: Json; hops: number }[] = [];
  sendToHandler: (target: string, payload: Json, options: SendOptions) => Promise<Json> = async (target) => {
    throw new Error(`no agent named ${target}`);
  };
  agentList: AgentSummary[] = [];
  windowsOpened: { topic: string; options: WindowOptions }[] = [];
  windowQueries: WindowQuery[] = [];
  windowsClosed = 0;
  /** Numbers each window computes over, by topic. */
  windowData = new Map<string, number[]>();
  contracts: JsonObject[] = [];
  haStates = new Map<string, HaEntityState>();
  serviceCalls: HaServiceCall[] = [];
  snapshot: CameraSnapshot = { contentType: 'image/jpeg', dataBase64: '/9j/AAAA' };
  notifications: Notification[] = [];
  private subs = new Map<number, { filter: string; fn: (m: BusMessage) => void }>();
  private nextSub = 1;

  log(level: LogLevel, message: string): void {
    this.logs.push({ level, message });
  }

  alert(message: string, severity: AlertSeverity): void {
    this.alerts.push({ message, severity });
  }

  reportError(event: SandboxErrorEvent): void {
    this.errors.push(event);
  }

  async publish(topic: string, payload: Json): Promise<void> {
    this.published.push({ topic, payload });
  }

  subscribe(filter: string, onMessage: (message: BusMessage) => void): Unsubscribe {
    const id = this.nextSub++;
    this.subs.set(id, { filter, fn: onMessage });
    return () => void this.subs.delete(id);
  }

  /** Publishes on the fake bus: every matching subscription gets the message. */
  emit(topic: string, payload: Json): number {
    let n = 0;
    for (const s of this.subs.values()) {
      if (topicMatches(s.filter, topic)) {
        s.fn({ topic, payload });
        n++;
      }
    }
    return n;
  }

  get subscriptionCount(): number {
    return this.subs.size;
  }

  persist(key: string, value: Json): void {
    this.kv.set(key, value);
  }

  recall(key: string): Json | undefined {
    return this.kv.get(key);
  }

  llmChat(request: LlmChatRequest, signal: AbortSignal): Promise<string> {
    this.llmRequests.push(request);
    return this.llmReply(request, signal);
  }

  sendTo(target: string, payload: Json, options: SendOptions): Promise<Json> {
    this.sent.push({ target, payload, hops: options.hops });
    return this.sendToHandler(target, payload, options);
  }

  listAgents(): AgentSummary[] {
    return this.agentList;
  }

  openWindow(topic: string, options: WindowOptions): HostWindow {
    this.windowsOpened.push({ topic, options });
    return {
      query: (q) => {
        this.windowQueries.push(q);
        return computeWindow(this.windowData.get(topic) ?? [], q);
      },
      close: () => void this.windowsClosed++,
    };
  }

  declareContract(contract: JsonObject): void {
    this.contracts.push(contract);
  }

  async haGetState(entityId: string): Promise<HaEntityState | null> {
    return this.haStates.get(entityId) ?? null;
  }

  async haCallService(call: HaServiceCall): Promise<Json> {
    this.serviceCalls.push(call);
    return { ok: true };
  }

  async haCameraSnapshot(): Promise<CameraSnapshot> {
    return this.snapshot;
  }

  async notify(notification: Notification): Promise<void> {
    this.notifications.push(notification);
  }
}

/** A plain StreamWindow stand-in over a list of numbers (enough to check what crosses). */
function computeWindow(values: number[], q: WindowQuery): Json {
  const first = values[0] ?? 0;
  const last = values[values.length - 1] ?? 0;
  switch (q.op) {
    case 'mean':
      return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
    case 'min':
      return values.length === 0 ? null : Math.min(...values);
    case 'max':
      return values.length === 0 ? null : Math.max(...values);
    case 'latest':
      return values.length === 0 ? null : last;
    case 'values':
      return values;
    case 'count':
      return values.length;
    case 'rising':
      return last - first > (q.threshold ?? 0);
    case 'falling':
      return first - last > (q.threshold ?? 0);
    case 'stable':
      return Math.max(...values) - Math.min(...values) <= (q.tolerance ?? 0);
    case 'absent_for':
      return values.length === 0 && q.seconds >= 0;
    case 'event_count':
      return values.length;
  }
}

/** Waits (polling, bounded) until check() returns something truthy; fails with what was awaited. */
export async function eventually<T>(check: () => T | Promise<T>, what: string, tries = 500): Promise<NonNullable<T>> {
  for (let i = 0; i < tries; i++) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** Agents started by a test; stopAll() in afterEach releases their isolates. */
export class AgentPool {
  readonly agents: SandboxedAgent[] = [];

  create(code: string, options: Partial<SandboxedAgentOptions> & { host?: AgentHost } = {}): { agent: SandboxedAgent; host: FakeAgentHost } {
    const host = (options.host as FakeAgentHost | undefined) ?? new FakeAgentHost();
    const agent = new SandboxedAgent({ id: options.id ?? `a${this.agents.length + 1}`, name: options.name ?? `agent-${this.agents.length + 1}`, ...options, code, host });
    this.agents.push(agent);
    return { agent, host };
  }

  async start(code: string, options: Partial<SandboxedAgentOptions> & { host?: AgentHost } = {}): Promise<{ agent: SandboxedAgent; host: FakeAgentHost }> {
    const made = this.create(code, options);
    await made.agent.start();
    return made;
  }

  stopAll(): void {
    for (const a of this.agents.splice(0)) a.dispose();
  }
}
