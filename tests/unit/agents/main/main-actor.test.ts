// main as an actor of the system: protected, answering other agents' tasks with a chat turn on a
// restricted channel, with a bound on the turns in flight.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_AGENT_TURNS, MainActor } from '../../../../server/src/agents/main/main-actor.ts';
import { reply } from '../../../helpers/fake-llm/index.ts';
import { harness, type Harness } from './harness.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

describe('main as an actor', () => {
  it('is protected and answers other agents’ tasks with a chat turn', async () => {
    h = await harness();
    h.script.chat = (text) => `main says: ${text}`;
    const main = await h.system.spawn(new MainActor(h.orch));
    expect(main.isProtected).toBe(true);
    expect(await h.system.ask('main', { text: 'summarise the day' }, { from: 'energy' })).toEqual({ text: 'main says: summarise the day', agent: 'main', route: 'other' });
    expect(await h.system.ask('main', 42)).toEqual({ error: 'main expects a text task: a string or {"text": "..."}' });
    expect(h.orch.history.list('agent_energy')).toEqual([]);
    expect(h.orch.history.list('agent:energy').map((c) => c.id)).toEqual(['agent-energy']);
  });

  it('refuses agent tasks past its limit of turns in flight, and answers every accepted one', async () => {
    h = await harness();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    h.script.chat = async (text) => {
      await gate;
      return reply.text(`done: ${text}`);
    };
    await h.system.spawn(new MainActor(h.orch));
    const accepted = Array.from({ length: MAX_AGENT_TURNS }, (_, i) => h.system.ask('main', `task ${i}`, { from: `agent-${i}`, timeoutMs: 60_000 }));
    await vi.waitFor(() => expect(h.calls('conversation').length).toBeGreaterThan(0));
    expect(await h.system.ask('main', 'one too many', { from: 'flooder' })).toEqual({ error: `main is busy: ${MAX_AGENT_TURNS} agent tasks are being answered; send this one again later` });
    release();
    const answers = (await Promise.all(accepted)) as { text: string }[];
    expect(answers.map((a) => a.text)).toEqual(Array.from({ length: MAX_AGENT_TURNS }, (_, i) => `done: task ${i}`));
    // Room again once the accepted turns are answered.
    h.script.chat = (text) => `main says: ${text}`;
    expect(await h.system.ask('main', 'again', { from: 'flooder' })).toMatchObject({ text: 'main says: again' });
  });
});
