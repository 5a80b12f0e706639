// Self-correction: a start failure goes to fixCode (a scripted LLM here) with the code and the SDK
// reference, up to two attempts, each one written to the agent's log.
import { afterEach, expect, test } from 'vitest';
import { SandboxError } from '../../../server/src/sandbox/errors.ts';
import { startWithSelfCorrection, type FixCode } from '../../../server/src/sandbox/self-correct.ts';
import type { SandboxedAgent } from '../../../server/src/sandbox/agent.ts';
import type { SandboxErrorEvent } from '../../../server/src/sandbox/types.ts';
import { FakeAgentHost } from '../../helpers/fake-agent-host.ts';

const started: SandboxedAgent[] = [];
afterEach(() => {
  for (const a of started.splice(0)) a.dispose();
});

/** An LLM that answers fix requests from a script, and records what it was asked. */
function scriptedLlm(replies: (string | null)[]): { fix: FixCode; asked: { error: SandboxErrorEvent; code: string; reference: string }[] } {
  const asked: { error: SandboxErrorEvent; code: string; reference: string }[] = [];
  return {
    asked,
    fix: async (error, code, reference) => {
      asked.push({ error, code, reference });
      return replies.shift() ?? null;
    },
  };
}

const BROKEN = 'async function setup(agent) {\n  agent.state.city = agent.recall("cfg").city;\n}\nasync function handleTask(agent) { return agent.state.city; }';
const FIXED = 'async function setup(agent) {\n  agent.state.city = (agent.recall("cfg") ?? {}).city ?? "Athens";\n}\nasync function handleTask(agent) { return agent.state.city; }';

test('a setup error is fixed by the LLM and the fixed code runs in a fresh isolate', async () => {
  const host = new FakeAgentHost();
  const llm = scriptedLlm([FIXED]);
  const result = await startWithSelfCorrection({ id: 'w', name: 'weather', code: BROKEN, host }, llm.fix);
  started.push(result.agent);
  expect(await result.agent.handleTask(null)).toBe('Athens');
  expect(result.code).toBe(FIXED);
  expect(result.attempts).toEqual([{ attempt: 1, fixed: true, error: expect.objectContaining({ phase: 'setup', message: expect.stringContaining("reading 'city') (line 2, column") as unknown }) as unknown }]);
  expect(llm.asked).toHaveLength(1);
  expect(llm.asked[0].code).toBe(BROKEN);
  expect(llm.asked[0].reference).toContain('agent.recall(key, fallback = null)');
  expect(host.logs.map((l) => l.message)).toEqual([
    expect.stringMatching(/^self-correction 1\/2: start failed \(setup\): setup\(\) threw TypeError/) as unknown,
    'self-correction 1/2: retrying with corrected code',
    'self-correction: the agent started after 1 fix',
  ]);
});

test('a syntax error can be fixed too, and a second attempt is allowed', async () => {
  const host = new FakeAgentHost();
  const llm = scriptedLlm(['async function setup(agent) { throw new Error("still wrong"); }', FIXED]);
  const result = await startWithSelfCorrection({ id: 'w', name: 'weather', code: 'async function setup(agent) {', host }, llm.fix);
  started.push(result.agent);
  expect(result.attempts.map((a) => a.error.phase)).toEqual(['compile', 'setup']);
  expect(llm.asked[1].error.message).toContain('still wrong');
  expect(await result.agent.handleTask(null)).toBe('Athens');
});

test('after two failed fixes it gives up with the last error; fixCode is asked exactly twice', async () => {
  const host = new FakeAgentHost();
  const llm = scriptedLlm([BROKEN.replace('city;', 'city ;'), BROKEN.replace('city;', 'city  ;'), FIXED]);
  const err = await startWithSelfCorrection({ id: 'w', name: 'weather', code: BROKEN, host }, llm.fix).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SandboxError);
  expect((err as SandboxError).phase).toBe('setup');
  expect(llm.asked).toHaveLength(2);
  expect(host.logs.filter((l) => l.message.startsWith('self-correction')).map((l) => l.message.slice(0, 20))).toEqual([
    'self-correction 1/2:', 'self-correction 1/2:', 'self-correction 2/2:', 'self-correction 2/2:',
  ]);
});

test('no usable fix (null, unchanged code, or a failing LLM) ends the attempts at once', async () => {
  for (const fix of [async () => null, async (_e: SandboxErrorEvent, code: string) => code, async () => Promise.reject(new Error('LLM down'))] satisfies FixCode[]) {
    const host = new FakeAgentHost();
    await expect(startWithSelfCorrection({ id: 'w', name: 'weather', code: BROKEN, host }, fix)).rejects.toMatchObject({ phase: 'setup' });
    expect(host.logs.at(-1)).toEqual({ level: 'error', message: expect.stringMatching(/^self-correction 1\/2: no (usable fix|fix \(LLM down\))/) as unknown });
  }
});

test('without fixCode, or for a code that starts, nothing is asked', async () => {
  const host = new FakeAgentHost();
  await expect(startWithSelfCorrection({ id: 'w', name: 'weather', code: BROKEN, host })).rejects.toMatchObject({ phase: 'setup' });
  const llm = scriptedLlm([]);
  const ok = await startWithSelfCorrection({ id: 'w', name: 'weather', code: FIXED, host }, llm.fix);
  started.push(ok.agent);
  expect(ok.attempts).toEqual([]);
  expect(llm.asked).toEqual([]);
});
