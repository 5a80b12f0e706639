import { afterEach, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../../server/src/contract/live-events.ts';
import { createLlm } from '../../../server/src/llm/index.ts';
import { startLiveBridge } from '../../../server/src/services/live-bridge.ts';
import { openDatabase } from '../../../server/src/store/database.ts';
import { fakeLlmConfig, reply, startFakeLlm } from '../../helpers/fake-llm/index.ts';
import { EchoActor, makeSystem, settle } from '../core/fixtures.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('live bridge', () => {
  it('turns actor lifecycle, heartbeats, logs and errors into panel events named by agent', async () => {
    const { system, clock, bus } = makeSystem();
    await system.start();
    cleanups.push(() => system.stop());
    const events: LiveEvent[] = [];
    const stop = startLiveBridge({ system, bus, llm: undefined, hub: { publish: (e) => events.push(e) }, clock });
    cleanups.push(stop);

    const actor = await system.spawn(new EchoActor({ name: 'energy' }));
    system.pauseActor('energy');
    bus.publish('agentLogs', { id: actor.id }, { type: 'log', message: 'reading meter', level: 'info', ts: clock.now() });
    bus.publish('agentErrors', { id: actor.id }, { phase: 'process', severity: 'warning', message: 'meter offline', ts: clock.now() });
    await clock.advance(10_000); // one heartbeat period
    await settle();

    expect(events).toContainEqual({ type: 'agent.state', agent: 'energy', state: 'paused' });
    expect(events).toContainEqual(expect.objectContaining({ type: 'agent.log', agent: 'energy', level: 'info', message: 'reading meter' }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'agent.error', agent: 'energy', message: 'process: meter offline' }));
    expect(events.some((e) => e.type === 'agent.heartbeat' && e.agent === 'energy')).toBe(true);

    await system.deleteActor('energy');
    expect(events).toContainEqual({ type: 'agent.removed', agent: 'energy' });

    stop();
    const before = events.length;
    bus.publish('agentLogs', { id: actor.id }, { type: 'log', message: 'after stop', level: 'info', ts: clock.now() });
    await settle();
    expect(events.length).toBe(before);
  });

  it('reports each priced LLM call as a cost update with the spend of the day', async () => {
    const { system, clock, bus } = makeSystem();
    const fake = await startFakeLlm();
    cleanups.push(() => fake.close());
    const llm = createLlm(fakeLlmConfig(fake, 'openai'), { db: openDatabase({ dataDir: ':memory:' }), clock, sleep: async () => {} });
    const events: LiveEvent[] = [];
    cleanups.push(startLiveBridge({ system, bus, llm, hub: { publish: (e) => events.push(e) }, clock }));
    fake.enqueue(reply.text('Hello', { usage: { input: 1_000_000, output: 0 } }));
    await llm.complete({ callSite: 'conversation', agent: 'main', messages: [{ role: 'user', content: 'Hi' }] });
    const cost = events.find((e) => e.type === 'cost.update');
    expect(cost).toMatchObject({ type: 'cost.update', provider: 'openai', agent: 'main' });
    expect(cost && cost.type === 'cost.update' && cost.usd).toBeGreaterThan(0);
    expect(cost && cost.type === 'cost.update' && cost.spent_today_usd).toBe(cost && cost.type === 'cost.update' && cost.usd);
  });
});
