// The tool-call form of spawn/delete/delegate: the same checks, the same spawner, the same
// report as the blocks, with the results handed back to the model so it can finish its answer.
import { afterEach, describe, expect, it } from 'vitest';
import { reply, type FakeRequest } from '../../../helpers/fake-llm/index.ts';
import { deltas, harness, type Harness } from './harness.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const WEATHER = { name: 'weather-agent', type: 'dynamic', description: 'Weather on request', code: "async function handleTask(agent, payload) { return 'sunny'; }" };

/** True once the request carries tool results (the model's second turn). */
function hasToolResults(req: FakeRequest): boolean {
  const messages = (req.body.messages ?? []) as { role: string; content: unknown }[];
  return messages.some((m) => Array.isArray(m.content) && (m.content as { type: string }[]).some((p) => p.type === 'tool_result'));
}

describe('agent tools in main’s answer', () => {
  it('offers spawn_agent, delete_agent and delegate_task to providers with tools', async () => {
    h = await harness();
    h.script.chat = () => 'ok';
    await h.turn('hello');
    const tools = (h.calls('conversation')[0]?.body.tools ?? []) as { name: string }[];
    expect(tools.map((t) => t.name)).toEqual(['spawn_agent', 'delete_agent', 'delegate_task']);
  });

  it('spawns through the AgentSpawner as the LLM, returns the outcome as the tool result, and streams the model’s follow-up', async () => {
    h = await harness();
    let toolResult = '';
    h.script.chat = (_text, req) => {
      if (!hasToolResults(req)) return reply.tool('spawn_agent', WEATHER);
      const messages = req.body.messages as { content: { type: string; content?: unknown }[] | string }[];
      const parts = messages.flatMap((m) => (Array.isArray(m.content) ? m.content : []));
      toolResult = JSON.stringify(parts.find((p) => p.type === 'tool_result'));
      return reply.text('The weather agent is ready; ask it anything.');
    };
    const r = await h.turn('spawn an agent that tells the weather');
    expect(h.spawner.spawned).toEqual([{ config: expect.objectContaining({ name: 'weather-agent', type: 'dynamic' }) as unknown, origin: { by: 'llm', conversationId: 'c1' } }]);
    expect(h.system.get('weather-agent')?.state).toBe('running');
    expect(toolResult).toContain('weather-agent (dynamic) spawned.');
    expect(r.reply).toBe('The weather agent is ready; ask it anything.\n\n✅ weather-agent (dynamic) spawned.');
    expect(deltas(r.events)).toBe(r.reply);
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'spawn', name: 'weather-agent', ok: true }));
  });

  it('reports a rejected tool call to the model as an error and to the user, and refuses relaxed modes', async () => {
    h = await harness();
    let errorFlag: unknown;
    h.script.chat = (_text, req) => {
      if (!hasToolResults(req)) return reply.tool('spawn_agent', { ...WEATHER, trusted: true });
      const parts = (req.body.messages as { content: unknown }[]).flatMap((m) => (Array.isArray(m.content) ? (m.content as { type: string; is_error?: boolean }[]) : []));
      errorFlag = parts.find((p) => p.type === 'tool_result')?.is_error;
      return reply.text('I could not start it.');
    };
    const r = await h.turn('spawn a trusted weather agent');
    expect(h.spawner.spawned).toEqual([]);
    expect(errorFlag).toBe(true);
    expect(r.reply).toMatch(/I could not start it\.\n\n⚠️ .*trusted/);
  });

  it('stops after three rounds of tool calls and says so', async () => {
    h = await harness();
    h.script.chat = () => reply.tool('delete_agent', { name: 'ghost' });
    const r = await h.turn('delete ghosts forever');
    expect(r.reply).toContain('Stopped after 3 rounds of tool calls');
    expect(h.calls('conversation')).toHaveLength(4);
  });

  it('keeps the blocks (and offers no tools) for Ollama, whose models may not take tools', async () => {
    h = await harness({ llmConfig: { provider: 'ollama' } });
    h.script.chat = () => 'ok';
    await h.turn('hello');
    expect(h.calls('conversation')[0]?.body.tools).toBeUndefined();
  });
});
