// agent.trace from agent code in a real isolate: a step with its data trimmed to maxTraceChars,
// bounded by the log rate limit, and harmless on a host that keeps no traces (the edge runner).
import { afterEach, expect, test } from 'vitest';
import { AgentPool, FakeAgentHost } from '../../helpers/fake-agent-host.ts';

class TracingHost extends FakeAgentHost {
  steps: { label: string; detail: string | undefined }[] = [];
  trace(label: string, detail: string | undefined): void {
    this.steps.push({ label, detail });
  }
}

const pool = new AgentPool();
afterEach(() => pool.stopAll());

async function run(body: string, host: FakeAgentHost, limits = {}) {
  const { agent } = await pool.start(`async function handleTask(agent, payload) {\n${body}\n}`, { host, limits });
  return agent.handleTask(null);
}

test('a step carries its label and its data as JSON, trimmed to maxTraceChars', async () => {
  const host = new TracingHost();
  await run(`await agent.trace('person seen', { score: 0.93 }); agent.trace('no data'); await agent.trace('long', 'x'.repeat(50)); return null;`, host, { maxTraceChars: 20 });
  expect(host.steps).toEqual([
    { label: 'person seen', detail: '{"score":0.93}' },
    { label: 'no data', detail: undefined },
    { label: 'long', detail: `${'x'.repeat(20)}... (30 more characters)` },
  ]);
});

test('a flood of steps stops at the log rate limit', async () => {
  const host = new TracingHost();
  await run(`for (let i = 0; i < 1000; i++) agent.trace('step ' + i); return null;`, host, { logBurst: 10, logRatePerSecond: 1 });
  expect(host.steps.length).toBeLessThanOrEqual(11);
  expect(host.steps[0]?.label).toBe('step 0');
});

test('on a host without traces it does nothing and throws nothing', async () => {
  expect(await run(`await agent.trace('edge', 1); return 'ok';`, new FakeAgentHost())).toBe('ok');
});
