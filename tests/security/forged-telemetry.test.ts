// Anyone on the broker can publish on wactorz/agents/{id}/errors, /alert or /actuations. For the
// agents of this process those topics are claimed (core/system.ts): the monitor, the rules and the
// panel hear the agents themselves, in-process, so a forged error cannot raise an alarm about a
// local agent (or trigger its recovery) and a forged actuation cannot make a rule look fired.
// The same topics of agents on other nodes still come from the broker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.ts';
import { spawnConfig, startWorld, type World } from './world.ts';

const fatal = (message: string) => JSON.stringify({ phase: 'process', severity: 'fatal', message, ts: Date.now() });

describe('forged telemetry of local agents', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
    await w.runtime.spawner.spawn(spawnConfig({ name: 'energy', type: 'dynamic', description: 'a local agent', code: "async function handleTask(agent) { await agent.log('asked'); return 1; }" }), { by: 'user' });
  });
  afterAll(async () => {
    await w.close();
  });

  it('ignores a forged fatal error about a local agent, while an error of an agent on another node still arrives', async () => {
    const energy = w.runtime.system.get('energy')!;
    await w.outsider.publishAsync(`wactorz/agents/${energy.id}/errors`, fatal('forged: energy crashed'), { qos: 1 });
    await w.outsider.publishAsync('wactorz/agents/pi-cam/errors', fatal('camera offline'), { qos: 1 });
    const noticed = () => w.runtime.orchestrator.notifications.size > 0;
    await eventually(noticed, 'the remote agent\'s error reached the monitor');
    const { notices } = w.runtime.orchestrator.notifications.drain();
    const text = JSON.stringify(notices);
    expect(text).toContain('camera offline');
    expect(text).not.toContain('forged');
    expect(w.runtime.system.get('energy')?.state).toBe('running');
    expect(w.runtime.bus.stats().foreignDropped).toBeGreaterThan(0);
  });

  it('still hears the local agent itself, in-process: even with the broker gone', async () => {
    const energy = w.runtime.system.get('energy')!;
    const logs: string[] = [];
    w.runtime.bus.subscribe('agentLogs', { id: energy.id }, (p) => logs.push(p.message));
    await w.broker.kill();
    try {
      await w.runtime.system.ask('energy', 'go', { timeoutMs: 10_000 });
      await eventually(() => logs.includes('asked'), 'the agent\'s log, delivered without a broker');
      expect(logs.filter((m) => m === 'asked')).toHaveLength(1);
    } finally {
      // Back on the same port, so the world closes its clients as usual.
      await w.broker.start();
    }
  });
});
