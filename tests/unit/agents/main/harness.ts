// The orchestrator for tests: a real SQLite database (in memory, every migration), a manual
// clock, an actor system on a MemoryBus, the real LLM service pointed at a fake LLM server that
// answers by call site (classifier / facts / conversation) from a script, and a fake spawner that
// starts small echo actors, until tests choose the real one.
import type { HaClient } from '../../../../server/src/ha/client.ts';
import { Actor, type ActorOptions } from '../../../../server/src/core/actor.ts';
import { ManualClock } from '../../../../server/src/core/clock.ts';
import type { Message } from '../../../../server/src/core/messages.ts';
import { ActorSystem } from '../../../../server/src/core/system.ts';
import { MemoryBus } from '../../../../server/src/bus/memory-bus.ts';
import { createLlm, type LlmService } from '../../../../server/src/llm/index.ts';
import type { LlmConfig } from '../../../../server/src/config/types.ts';
import { openDatabase, type Db } from '../../../../server/src/store/database.ts';
import type { SpawnConfig } from '../../../../server/src/agents/spawn-config/config-schema.ts';
import { SpawnError, type AgentSpawner, type SpawnedAgentInfo, type SpawnOrigin, type SpawnOutcome } from '../../../../server/src/agents/spawner/agent-spawner.ts';
import { Orchestrator, type OrchestratorDeps } from '../../../../server/src/agents/main/orchestrator.ts';
import { NotificationQueue } from '../../../../server/src/agents/main/notification-queue.ts';
import { standInParts } from '../../../helpers/orchestrator-parts.ts';
import type { ChatEvent, RouteKind } from '../../../../server/src/agents/main/events.ts';
import type { TurnContext } from '../../../../server/src/agents/main/turn-context.ts';
import { CLASSIFIER_SYSTEM } from '../../../../server/src/agents/main/routing/classifier.ts';
import { FACTS_SYSTEM } from '../../../../server/src/agents/main/memory/facts-extractor.ts';
import { fakeLlmConfig, reply, startFakeLlm, systemText, userWords, type FakeLlmServer, type FakeReply, type FakeRequest } from '../../../helpers/fake-llm/index.ts';

/** Answers tasks: text -> "echo: text"; objects are returned with `echoed: true`; {fail: true} throws. */
export class EchoAgent extends Actor {
  readonly tasks: unknown[] = [];
  constructor(opts: Partial<ActorOptions> & { name: string }) {
    super({ kind: 'dynamic', ...opts });
  }
  protected handle(msg: Message): unknown {
    if (msg.type !== 'task') return undefined;
    this.tasks.push(msg.payload);
    const p = msg.payload;
    if (typeof p === 'string') return `echo: ${p}`;
    if (p !== null && typeof p === 'object' && 'fail' in p) throw new Error('asked to fail');
    return { ...(p as object), echoed: true };
  }
}

/** An AgentSpawner that starts EchoAgents; `refuse` names fail like a validation error would. */
export class FakeSpawner implements AgentSpawner {
  readonly spawned: { config: SpawnConfig; origin: SpawnOrigin }[] = [];
  readonly deleted: string[] = [];
  readonly refuse = new Map<string, string>();
  readonly #system: ActorSystem;
  readonly #agents = new Map<string, SpawnedAgentInfo>();

  constructor(system: ActorSystem) {
    this.#system = system;
  }

  async spawn(config: SpawnConfig, origin: SpawnOrigin): Promise<SpawnOutcome> {
    const refusal = this.refuse.get(config.name);
    if (refusal) throw new SpawnError(refusal, 'code');
    this.spawned.push({ config, origin });
    const existing = this.#system.get(config.name);
    if (existing && !config.replace) return { status: 'reused', id: existing.id, name: config.name, type: config.type, warnings: [] };
    if (existing) await this.#system.deleteActor(config.name);
    const actor = await this.#system.spawn(new EchoAgent({ name: config.name }));
    this.#agents.set(config.name, { id: actor.id, name: config.name, type: config.type, description: config.description, createdAt: new Date(0).toISOString() });
    return { status: existing ? 'replaced' : 'spawned', id: actor.id, name: config.name, type: config.type, warnings: [] };
  }

  async delete(name: string): Promise<boolean> {
    if (!this.#agents.delete(name)) return false;
    this.deleted.push(name);
    await this.#system.deleteActor(name);
    return true;
  }

  list(): SpawnedAgentInfo[] {
    return [...this.#agents.values()];
  }

  /** Registers an agent that lives on another node (nothing local). */
  addRemote(name: string, node: string): void {
    this.#agents.set(name, { id: name, name, type: 'dynamic', node, createdAt: new Date(0).toISOString() });
  }

  async restoreAll() {
    return { restored: [], failed: [] };
  }

  registerType(): void {}
}

export interface LlmScript {
  /** The classifier's answer for a message (default OTHER). */
  classify: (text: string) => string | FakeReply;
  /** Main's answer (streamed) for the last user message. */
  chat: (text: string, req: FakeRequest) => string | FakeReply | Promise<FakeReply>;
  /** The fact extractor's answer (default: no facts). */
  facts: (prompt: string) => string;
}

/** What the user said in the newest message (without the turn's context). */
export const lastUserText = userWords;

export type CallSiteSeen = 'classifier' | 'facts' | 'conversation';

export function callSiteOf(req: FakeRequest): CallSiteSeen {
  // Anthropic's system field (a string, or text blocks with cache marks); the others are scripted per test.
  const system = req.body.system === undefined ? undefined : systemText(req);
  if (system === CLASSIFIER_SYSTEM) return 'classifier';
  if (system === FACTS_SYSTEM) return 'facts';
  return 'conversation';
}

export interface HarnessOptions {
  /** No LLM provider at all (provider none). */
  noLlm?: boolean;
  ha?: HaClient;
  spawner?: 'fake' | 'none';
  deps?: Partial<OrchestratorDeps>;
  llmConfig?: Partial<LlmConfig>;
}

export interface Harness {
  orch: Orchestrator;
  system: ActorSystem;
  clock: ManualClock;
  bus: MemoryBus;
  db: Db;
  llm: LlmService;
  fake: FakeLlmServer;
  spawner: FakeSpawner;
  script: LlmScript;
  /** Requests the fake received, by call site. */
  calls(site: CallSiteSeen): FakeRequest[];
  turn(text: string, ctx?: Partial<TurnContext>): Promise<{ reply: string; route: RouteKind; agent: string; events: ChatEvent[] }>;
  close(): Promise<void>;
}

export const alice: TurnContext = { user: { id: 'alice', name: 'Alice' }, channel: 'test', conversationId: 'c1' };

export async function harness(options: HarnessOptions = {}): Promise<Harness> {
  const clock = new ManualClock(new Date(2026, 4, 13, 12, 0, 0).getTime());
  const db = openDatabase({ dataDir: ':memory:' });
  const bus = new MemoryBus('wactorz');
  const system = new ActorSystem({ clock, bus });
  await system.start();
  const script: LlmScript = {
    classify: () => 'OTHER',
    chat: () => 'ok',
    facts: () => '{"facts":[]}',
  };
  const fake = await startFakeLlm({
    respond: (req) => {
      const text = lastUserText(req);
      switch (callSiteOf(req)) {
        case 'classifier': {
          const r = script.classify(text);
          return typeof r === 'string' ? reply.text(r) : r;
        }
        case 'facts':
          return reply.text(script.facts(text));
        case 'conversation': {
          const r = script.chat(text, req);
          return typeof r === 'string' ? reply.text(r) : r;
        }
      }
    },
  });
  const config: LlmConfig = options.noLlm ? { ...fakeLlmConfig(fake, 'none'), ...options.llmConfig } : fakeLlmConfig(fake, 'anthropic', options.llmConfig);
  const llm = createLlm(config, { db, clock, sleep: async () => {} });
  const spawner = new FakeSpawner(system);
  const orch = new Orchestrator({
    db,
    clock,
    llm,
    system,
    bus,
    ...standInParts(options.ha),
    spawner: options.spawner === 'none' ? undefined : spawner,
    notifications: new NotificationQueue(),
    extractFacts: false,
    ...options.deps,
  });
  return {
    orch,
    system,
    clock,
    bus,
    db,
    llm,
    fake,
    spawner,
    script,
    calls: (site) => fake.requests.filter((r) => callSiteOf(r) === site),
    turn: (text, ctx = {}) => orch.ask(text, { ...alice, ...ctx }),
    async close() {
      await orch.stop();
      await system.stop();
      await fake.close();
      db.close();
    },
  };
}

/** The streamed text of a turn: every delta, in order. */
export function deltas(events: readonly ChatEvent[]): string {
  return events.flatMap((e) => (e.type === 'delta' ? [e.text] : [])).join('');
}
