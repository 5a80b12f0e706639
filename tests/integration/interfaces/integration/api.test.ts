// The companion integration's API on the real runtime (demo home, a scripted Anthropic model):
// its token, an Assist turn streamed as NDJSON that turns on a light, a question that keeps the
// conversation open and a "yes" that answers it, a non-administrator who cannot confirm, the
// satellite's area in main's prompt, an AI Task with a structure, an agent's task and a recipe.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../server/src/config/load.ts';
import { CLASSIFIER_SYSTEM } from '../../../../server/src/agents/main/routing/classifier.ts';
import { IDENTITY_FILE } from '../../../../server/src/interfaces/integration/install-identity.ts';
import { startRuntime, type Runtime } from '../../../../server/src/runtime.ts';
import { FAKE_KEYS, reply, startFakeLlm, turnContext, userWords, type FakeLlmServer, type FakeReply, type FakeRequest } from '../../../helpers/fake-llm/index.ts';
import { quietLogger } from '../../../helpers/ha.ts';
import { makeTempDir } from '../../../helpers/tmp.ts';

let runtime: Runtime;
let fake: FakeLlmServer;
let token: string;
const dir = makeTempDir();

function systemOf(r: FakeRequest): string {
  const s = r.body.system;
  return typeof s === 'string' ? s : JSON.stringify(s ?? '');
}

const lastUserText = userWords;

function answer(r: FakeRequest): FakeReply {
  if (systemOf(r) === CLASSIFIER_SYSTEM) return reply.text('OTHER');
  if (systemOf(r).includes('You carry out one task for Home Assistant')) return reply.tool('give_answer', { people: 1, summary: 'One person with a parcel' });
  const last = JSON.stringify((r.body.messages ?? []).at(-1));
  if (last.includes('tool_result')) return reply.text('Done.');
  const text = lastUserText(r);
  if (text === 'turn on the kitchen light') return reply.tool('control_devices', { calls: [{ domain: 'light', service: 'turn_on', entity_id: 'light.kitchen' }] });
  if (text === 'unlock the front door') return reply.tool('control_devices', { calls: [{ domain: 'lock', service: 'unlock', entity_id: 'lock.front_door' }] });
  return reply.text('Hello from Wactorz.');
}

beforeAll(async () => {
  fake = await startFakeLlm({ respond: answer });
  const env = { WACTORZ_DEMO: 'true', LLM_PROVIDER: 'anthropic', ANTHROPIC_API_KEY: FAKE_KEYS.anthropic, ANTHROPIC_BASE_URL: fake.anthropicBaseUrl, LLM_ROUTING: 'tools' };
  const config = { ...loadConfig({ env, argv: ['--data-dir', dir.path, '--mqtt-embedded-port', '0', '--api-key', 'an-api-key-of-the-owner'], optionsFile: join(dir.path, 'none.json') }), port: 0 };
  runtime = await startRuntime({ config, logger: quietLogger() });
  token = (JSON.parse(readFileSync(join(dir.path, IDENTITY_FILE), 'utf8')) as { token: string }).token;
});

afterAll(async () => {
  await runtime.stop();
  await fake.close();
  dir.cleanup();
});

async function api(path: string, body?: unknown, key = token): Promise<Response> {
  return fetch(`${runtime.address}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function converse(body: Record<string, unknown>): Promise<{ lines: Record<string, unknown>[]; contentType: string | null }> {
  const res = await api('/api/integration/conversation', body);
  expect(res.status).toBe(200);
  const text = await res.text();
  return { lines: text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>), contentType: res.headers.get('content-type') };
}

const admin = { id: 'ha-user-1', name: 'Alex', is_admin: true };

describe("the companion integration's API", () => {
  it('knows this installation by its token; a wrong token and ingress users are refused', async () => {
    const info = await api('/api/integration/info');
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({ instance_id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown, name: 'Wactorz', llm: { provider: 'anthropic', model: null } });
    expect((await api('/api/integration/info', undefined, 'an-api-key-of-the-owner')).status).toBe(200);
    const wrong = await api('/api/integration/info', undefined, 'not-the-token-at-all');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: { code: 'invalid_api_key', message: 'The API key is not valid' } });
    // The rest of the API takes the token too (rules, agents, the WebSocket of live events).
    expect((await api('/api/agents')).status).toBe(200);
  });

  it('streams an Assist turn as NDJSON that turns on the light and closes the conversation', async () => {
    const { lines, contentType } = await converse({ text: 'turn on the kitchen light', conversation_id: '01JFASSIST1', language: 'en', user: admin });
    expect(contentType).toContain('application/x-ndjson');
    expect(lines[0]).toMatchObject({ type: 'start', conversationId: '01JFASSIST1' });
    expect(lines.find((l) => l.type === 'tool')).toMatchObject({ name: 'ha.call_service', ok: true, entityIds: ['light.kitchen'] });
    const done = lines.find((l) => l.type === 'done');
    const deltas = lines.filter((l) => l.type === 'delta').map((l) => l.text as string).join('');
    expect(done).toMatchObject({ conversationId: '01JFASSIST1', reply: deltas });
    expect(lines.at(-1)).toEqual({ type: 'end', conversation_id: '01JFASSIST1', continue_conversation: false });
    expect(runtime.haDemo?.getState('light.kitchen')?.state).toBe('on');
  });

  it('keeps the conversation open for a question, and the same user’s "yes" answers it', async () => {
    runtime.haDemo?.setState('lock.front_door', 'locked');
    const asked = await converse({ text: 'unlock the front door', conversation_id: '01JFLOCK', user: admin });
    expect(asked.lines.at(-1)).toEqual({ type: 'end', conversation_id: '01JFLOCK', continue_conversation: true });
    expect(runtime.haDemo?.getState('lock.front_door')?.state).toBe('locked');
    const yes = await converse({ text: 'yes', conversation_id: '01JFLOCK', user: admin });
    expect(yes.lines.find((l) => l.type === 'done')).toMatchObject({ reply: expect.stringMatching(/^Done: unlock Front Door/) as unknown });
    expect(yes.lines.at(-1)).toMatchObject({ continue_conversation: false });
    expect(runtime.haDemo?.getState('lock.front_door')?.state).toBe('unlocked');
  });

  it('refuses a sensitive action to an HA user who is not an administrator', async () => {
    runtime.haDemo?.setState('lock.front_door', 'locked');
    const kid = { id: 'ha-user-kid', name: 'Sam', is_admin: false };
    const asked = await converse({ text: 'unlock the front door', conversation_id: '01JFKID', user: kid });
    expect(asked.lines.find((l) => l.type === 'done')).toMatchObject({ reply: expect.stringMatching(/^⛔ Operating .* is only for the owner/) as unknown });
    expect(asked.lines.at(-1)).toMatchObject({ continue_conversation: false });
    await converse({ text: 'yes', conversation_id: '01JFKID', user: kid });
    expect(runtime.haDemo?.getState('lock.front_door')?.state).toBe('locked');
  });

  it('tells main which area the satellite is in', async () => {
    fake.reset();
    fake.respond(answer);
    await converse({ text: 'hello there', conversation_id: '01JFAREA', user: admin, satellite_id: 'sat-1', area_id: 'kitchen' });
    // Main's turn, told for this turn only (in front of the words; its system prompt stays cacheable).
    const main = fake.requests.find((r) => systemOf(r).includes('Home Assistant requests come to you directly'));
    expect(turnContext(main!)).toContain('The person is speaking from the Kitchen (a voice satellite there)');
    expect(turnContext(main!)).toContain('light.kitchen');
  });

  it("answers in the speaker's language", async () => {
    fake.reset();
    fake.respond(answer);
    await converse({ text: 'hallo', conversation_id: '01JFLANG', language: 'de', user: admin });
    const main = fake.requests.find((r) => systemOf(r).includes('Home Assistant requests come to you directly'));
    expect(turnContext(main!)).toContain('The person speaks German (de): answer in German.');
    expect(systemOf(main!)).not.toContain('German');
  });

  it('shows a photo to the model for its turn only; the saved conversation keeps a note', async () => {
    fake.reset();
    fake.respond(answer);
    const turn = { user: { id: 'photo-owner' }, channel: 'telegram' as const, conversationId: 'photo-chat', images: [{ type: 'image' as const, mediaType: 'image/jpeg' as const, data: '/9j/4AAQSkZJRg==' }] };
    await runtime.orchestrator.ask('what is on the porch?', turn);
    const withPhoto = JSON.stringify(fake.requests.at(-1)?.body.messages);
    expect(withPhoto).toContain('/9j/4AAQSkZJRg==');
    await runtime.orchestrator.idle();
    fake.reset();
    fake.respond(answer);
    await runtime.orchestrator.ask('and now?', { ...turn, images: [] });
    const next = JSON.stringify(fake.requests.at(-1)?.body.messages);
    expect(next).not.toContain('/9j/4AAQSkZJRg==');
    expect(next).toContain('an image (image/jpeg) was shown here; not kept');
  });

  it('answers bad input with a clear error and runs nothing', async () => {
    const blank = await api('/api/integration/conversation', { text: '   ' });
    expect(blank.status).toBe(400);
    expect(((await blank.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
    const badSchema = await api('/api/integration/ai_task', { task_name: 't', instructions: 'x', structure: { type: 'no-such-type' } });
    expect(badSchema.status).toBe(400);
  });

  it('runs an AI Task with a structure through the LLM layer, recorded under ai_task', async () => {
    const res = await api('/api/integration/ai_task', { task_name: 'porch', instructions: 'Who is at the porch?', structure: { type: 'object', properties: { people: { type: 'integer' }, summary: { type: 'string' } }, required: ['people', 'summary'] }, attachments: [{ mime_type: 'image/jpeg', data: '/9j/4AAQSkZJRg==', filename: 'porch.jpg' }] });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ data: { people: 1, summary: 'One person with a parcel' }, conversation_id: expect.stringMatching(/^ai-task-/) as unknown });
    const cost = (await (await api('/api/cost?period=day')).json()) as { by_agent: { key: string }[] };
    expect(cost.by_agent.map((a) => a.key)).toContain('ai-task');
  });

  it("sends an agent a task and spawns a catalog recipe", async () => {
    const task = await api('/api/integration/agents/catalog/task', { payload: 'list' });
    expect(task.status).toBe(200);
    expect(await task.json()).toMatchObject({ agent: 'catalog', result: expect.stringContaining('reminders') as unknown });
    const spawned = await api('/api/integration/recipes/reminders/spawn', { name: 'ha-reminders', params: { max_reminders: 3 } });
    const body: unknown = await spawned.json();
    expect(spawned.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ recipe: 'reminders', agent: 'ha-reminders', status: 'spawned' });
    expect(runtime.spawner.list().map((a) => a.name)).toContain('ha-reminders');
    const missing = await api('/api/integration/recipes/no-such-recipe/spawn', {});
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'spawn_failed', message: expect.stringContaining('no-such-recipe') as unknown });
  });
});
