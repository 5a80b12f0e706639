import { describe, expect, it } from 'vitest';
import type { LlmRequest, LlmResult } from '../../../../server/src/llm/service.ts';
import { runAiTask, type AiTaskLlm } from '../../../../server/src/interfaces/integration/ai-task.ts';

function model(answer: Partial<LlmResult>): AiTaskLlm & { requests: LlmRequest[] } {
  const requests: LlmRequest[] = [];
  return {
    requests,
    complete: async (request) => {
      requests.push(request);
      return { text: '', toolCalls: [], usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 0, cacheWriteTokens: 0 }, stopReason: 'end', provider: 'anthropic', model: 'm', costUsd: 0.001, fallback: false, ...answer };
    },
  };
}

const structure = { type: 'object', properties: { people: { type: 'integer', minimum: 0 }, summary: { type: 'string' } }, required: ['people', 'summary'] };

describe('an AI Task run by the LLM layer', () => {
  it('answers text under the ai_task call site', async () => {
    const llm = model({ text: 'Nobody is at the door.' });
    const r = await runAiTask(llm, { task_name: 'door', instructions: 'Is anyone at the door?' });
    expect(r.data).toBe('Nobody is at the door.');
    expect(r.conversation_id).toMatch(/^ai-task-/);
    expect(llm.requests[0]).toMatchObject({ callSite: 'ai_task', agent: 'ai-task', messages: [{ role: 'user', content: 'Is anyone at the door?' }] });
    expect(llm.requests[0]?.tools).toBeUndefined();
  });

  it('asks for structured data as a tool whose parameters are the schema, and checks the answer', async () => {
    const llm = model({ toolCalls: [{ id: 't1', name: 'give_answer', arguments: { people: 2, summary: 'Two people at the door' } }] });
    const r = await runAiTask(llm, { task_name: 'count', instructions: 'Count the people', structure });
    expect(r.data).toEqual({ people: 2, summary: 'Two people at the door' });
    expect(llm.requests[0]?.tools).toEqual([{ name: 'give_answer', description: 'The result of the task "count".', parameters: structure }]);
  });

  it('takes a JSON answer given as text too, and refuses one that does not match', async () => {
    const text = await runAiTask(model({ text: '```json\n{"people": 0, "summary": "empty"}\n```' }), { task_name: 'count', instructions: 'Count', structure });
    expect(text.data).toEqual({ people: 0, summary: 'empty' });
    await expect(runAiTask(model({ toolCalls: [{ id: 't', name: 'give_answer', arguments: { people: -1 } }] }), { task_name: 'count', instructions: 'Count', structure })).rejects.toThrow(/does not match the structure \(people: .*summary/);
    await expect(runAiTask(model({ text: 'two people' }), { task_name: 'count', instructions: 'Count', structure })).rejects.toThrow('The model gave no structured answer');
  });

  it('passes camera images to the model and refuses other attachments before any call', async () => {
    const llm = model({ text: 'A parcel.' });
    await runAiTask(llm, { task_name: 'cam', instructions: 'What is on the porch?', attachments: [{ mime_type: 'image/jpeg', data: '/9j/4AAQ', filename: 'porch.jpg' }] });
    expect(llm.requests[0]?.messages[0]).toEqual({ role: 'user', content: [{ type: 'text', text: 'What is on the porch?' }, { type: 'image', mediaType: 'image/jpeg', data: '/9j/4AAQ' }] });
    const none = model({ text: 'x' });
    await expect(runAiTask(none, { task_name: 'doc', instructions: 'Read it', attachments: [{ mime_type: 'application/pdf', data: 'JVBER', filename: 'bill.pdf' }] })).rejects.toThrow('Attachment bill.pdf is application/pdf; only JPEG, PNG, GIF and WebP images');
    expect(none.requests).toHaveLength(0);
  });

  it('says what went wrong when the model cannot run (a spent budget, a refused key)', async () => {
    const broken: AiTaskLlm = { complete: async () => Promise.reject(new Error('The daily LLM budget ($1.00) is spent')) };
    await expect(runAiTask(broken, { task_name: 't', instructions: 'x' })).rejects.toThrow('The model could not run the task: The daily LLM budget ($1.00) is spent');
  });
});
