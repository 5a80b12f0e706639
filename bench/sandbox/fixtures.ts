// What sandbox.bench.ts and its child processes share: the agent under test, the bare-isolate
// baseline doing the same work, and an AgentHost that does nothing.
import ivm from 'isolated-vm';
import { SandboxedAgent } from '../../server/src/sandbox/agent.ts';
import type { AgentHost, BusMessage, Json } from '../../server/src/sandbox/types.ts';

export const MESSAGES = 20_000;

export const AGENT_CODE = `
async function setup(agent) {
  agent.state.count = 0;
  agent.subscribe('sensors/+/temp', async (data) => {
    agent.state.count++;
    if (agent.state.count === data.last) await agent.publish('bench/done', agent.state.count);
  });
  await agent.log('ready');
}
async function handleTask(agent, payload) {
  return { value: payload.value * 2, seen: agent.state.count };
}`;

/** The same work without the SDK: a function over a JSON string. */
export const BARE_CODE = `function handleTask(text) { const p = JSON.parse(text); return JSON.stringify({ value: p.value * 2 }); }`;

/** An AgentHost that does nothing, except hand subscriptions and publishes to the benchmark. */
export class BenchHost implements AgentHost {
  listeners: ((m: BusMessage) => void)[] = [];
  onPublish: (payload: Json) => void = () => {};
  log(): void {}
  alert(): void {}
  reportError(): void {}
  async publish(_topic: string, payload: Json): Promise<void> {
    this.onPublish(payload);
  }
  subscribe(_filter: string, fn: (m: BusMessage) => void): () => void {
    this.listeners.push(fn);
    return () => void (this.listeners = this.listeners.filter((l) => l !== fn));
  }
  persist(): void {}
  recall(): Json | undefined {
    return undefined;
  }
  async llmChat(): Promise<string> {
    return '';
  }
  async sendTo(): Promise<Json> {
    return null;
  }
  listAgents() {
    return [];
  }
  openWindow() {
    return { query: () => null, close: () => {} };
  }
  declareContract(): void {}
  async haGetState() {
    return null;
  }
  async haCallService(): Promise<Json> {
    return null;
  }
  async haCameraSnapshot() {
    return { contentType: 'image/jpeg', dataBase64: '' };
  }
  async notify(): Promise<void> {}
}

let agentSeq = 0;
export function newAgent(host: AgentHost = new BenchHost()): SandboxedAgent {
  agentSeq++;
  // The whole burst is queued at once, so the queue bound is raised above it (nothing is dropped).
  return new SandboxedAgent({ id: `bench-${agentSeq}`, name: `bench-${agentSeq}`, code: AGENT_CODE, host, limits: { maxQueuedMessages: MESSAGES + 1 } });
}

/** A bare isolate holding BARE_CODE, the way anyone would use isolated-vm without our layer. */
export async function bareIsolate(): Promise<{ isolate: ivm.Isolate; fn: ivm.Reference<(text: string) => string> }> {
  const isolate = new ivm.Isolate({ memoryLimit: 32 });
  const context = await isolate.createContext();
  const script = await isolate.compileScript(BARE_CODE);
  await script.run(context, { timeout: 1000 });
  const fn = (await context.global.get('handleTask', { reference: true })) as ivm.Reference<(text: string) => string>;
  return { isolate, fn };
}

