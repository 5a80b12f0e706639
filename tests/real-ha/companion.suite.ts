// The companion integration (addon/integration/custom_components/wactorz) in the real Home
// Assistant, talking to the real product process: set up through HA's own config flow with the
// product's URL and API key (the manual path; discovery is the add-on's and is tested in pytest),
// then used the ways a person and their automations use it:
//   - Assist: `conversation/process` with the Wactorz agent turns on a demo light;
//   - a rule proposed by voice is approved by a second `conversation/process` in the same
//     conversation (the first one's answer kept the conversation open);
//   - an automation calls `wactorz.ask` with `response_variable` and stores the reply in an
//     input_text;
//   - `ai_task.generate_data` with the Wactorz AI Task entity returns data matching its structure.
// The entry and the automation are removed at the end, the light put back.
import { describe, expect, it } from 'vitest';
import { RESOLVE_SYSTEM } from '../../server/src/agents/ha/one-off/resolve.ts';
import { CLASSIFIER_SYSTEM } from '../../server/src/agents/main/routing/classifier.ts';
import { FACTS_SYSTEM } from '../../server/src/agents/main/memory/facts-extractor.ts';
import type { Connection } from '../../scripts/real-ha/instance.ts';
import { openHaSocket, type HaSocket } from '../../scripts/real-ha/ws-session.ts';
import { reply, startFakeLlm, type FakeLlmServer, type FakeRequest } from '../helpers/fake-llm/index.ts';
import type { HaTarget } from '../helpers/ha-target.ts';
import { stopServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { makeTempDir } from '../helpers/tmp.ts';
import { assist, flowStep, json, startFlow, stateOf } from './ha-rest.ts';
import { until } from './poll.ts';
import { startProduct } from './product-env.ts';

/** A demo light no other suite uses. */
const LIGHT = 'light.office_rgbw_lights';
const MOTION = 'binary_sensor.movement_backyard';
const API_KEY = 'companion-suite-api-key-0123456789';
const AUTOMATION_ID = 'wactorz_companion_ask';

const RULE_PLAN = {
  pattern: 'ha_sensor_action',
  title: 'Office lights on backyard movement',
  summary: 'Turns on the office lights when the backyard motion sensor sees movement.',
  agents: [{
    name: 'office-lights-on-movement',
    description: `Turns on ${LIGHT} when ${MOTION} turns on`,
    spawn_config: { type: 'ha_actuator', mqtt_topics: [`ha/state_changes/binary_sensor/${MOTION}`], detection_filter: { 'new_state.state': 'on' }, cooldown_seconds: 0, actions: [{ domain: 'light', service: 'turn_on', entity_id: LIGHT }] },
  }],
};

function script(r: FakeRequest) {
  const system = typeof r.body.system === 'string' ? r.body.system : JSON.stringify(r.body.system ?? '');
  const said = JSON.stringify(r.body.messages ?? []);
  if (system.includes(CLASSIFIER_SYSTEM.slice(0, 60))) return reply.text(said.includes('when there is movement') ? 'PIPELINE' : said.includes('turn on') ? 'ACTUATE' : 'OTHER');
  if (system.includes(RESOLVE_SYSTEM.slice(0, 60))) return reply.text(JSON.stringify({ calls: [{ domain: 'light', service: 'turn_on', entity_id: LIGHT }] }));
  if (system.includes('You design reactive rules')) return reply.text(JSON.stringify(RULE_PLAN));
  if (system.includes('You carry out one task for Home Assistant')) return reply.tool('give_answer', { people: 2, summary: 'Two people at the door' });
  if (system.includes(FACTS_SYSTEM.slice(0, 60))) return reply.text('{"facts":[]}');
  return reply.text('It is a quiet evening at home.');
}

export function realHaCompanion(target: () => HaTarget, connection: () => Connection): void {
  describe('the companion integration in the real HA', { timeout: 300_000 }, () => {
    it('config flow, Assist turning on a light, a rule approved by voice, wactorz.ask in an automation, AI Task with a structure', async () => {
      const t = target();
      const c = connection();
      const dir = makeTempDir('wactorz-real-ha-companion-');
      let fake: FakeLlmServer | undefined;
      let server: ServerProcess | undefined;
      let socket: HaSocket | undefined;
      let entryId: string | undefined;
      const lightBefore = await stateOf(t, LIGHT);
      try {
        fake = await startFakeLlm({ respond: script });
        server = await startProduct(c, dir.path, fake, API_KEY);
        await json(await t.api('services/light/turn_off', { method: 'POST', body: JSON.stringify({ entity_id: LIGHT }) }), 'light.turn_off');
        await until(() => stateOf(t, LIGHT), (s) => s === 'off', `${LIGHT} off`, t.patienceMs);

        // The "Add integration → Wactorz" dialog: a form, then the server's URL and API key.
        const form = await startFlow(t, 'wactorz');
        expect(form).toMatchObject({ type: 'form', step_id: 'user' });
        const wrong = await flowStep(t, form, { url: server.baseUrl, api_key: 'not-the-key-at-all-0000' }, 'the user step with a wrong key');
        expect(wrong).toMatchObject({ type: 'form', errors: { base: 'invalid_auth' } });
        const created = await flowStep(t, form, { url: server.baseUrl, api_key: API_KEY }, 'the user step');
        expect(created, JSON.stringify(created)).toMatchObject({ type: 'create_entry' });
        entryId = typeof created.result === 'object' ? created.result.entry_id : undefined;
        expect(entryId).toBeTruthy();

        socket = await openHaSocket(c.url, c.token);
        const ws = socket;
        const entities = await until(
          () => ws.command<{ entity_id: string; config_entry_id: string | null; platform: string }[]>({ type: 'config/entity_registry/list' }),
          (list) => ['conversation.', 'ai_task.'].every((d) => list.some((e) => e.config_entry_id === entryId && e.entity_id.startsWith(d))),
          'the Wactorz conversation and AI Task entities in HA\'s entity registry',
          t.patienceMs,
        );
        const ours = entities.filter((e) => e.config_entry_id === entryId);
        const agentId = ours.find((e) => e.entity_id.startsWith('conversation.'))!.entity_id;
        const aiTaskId = ours.find((e) => e.entity_id.startsWith('ai_task.'))!.entity_id;
        expect(ours.every((e) => e.platform === 'wactorz')).toBe(true);

        // Assist: the Wactorz agent turns a real demo light on.
        const on = await assist(t, agentId, 'turn on the office lights');
        expect(on.response.response_type, JSON.stringify(on)).not.toBe('error');
        await until(() => stateOf(t, LIGHT), (s) => s === 'on', 'Wactorz turning the office lights on through Assist', t.patienceMs);

        // A rule by voice: the proposal keeps the conversation open; "yes" in it creates the rule.
        const proposed = await assist(t, agentId, 'when there is movement in the backyard, turn on the office lights');
        expect(proposed.response.speech.plain.speech).toContain('Reply "yes" to approve');
        expect(proposed.continue_conversation).toBe(true);
        expect(proposed.conversation_id).toBeTruthy();
        const approved = await assist(t, agentId, 'yes', proposed.conversation_id!);
        expect(approved.response.speech.plain.speech).toMatch(/Rule [0-9a-f]{8} is running/);
        expect(approved.continue_conversation ?? false).toBe(false);
        const rules = await json<{ name: string; status: string }[]>(await fetch(`${server.baseUrl}/api/rules`, { headers: { authorization: `Bearer ${API_KEY}` } }), 'GET /api/rules');
        expect(rules, JSON.stringify(rules)).toContainEqual(expect.objectContaining({ name: RULE_PLAN.title, status: 'active' }));
        // The rule appears in HA as a switch of the integration, pushed live.
        await until(
          () => ws.command<{ entity_id: string; config_entry_id: string | null }[]>({ type: 'config/entity_registry/list' }),
          (list) => list.some((e) => e.config_entry_id === entryId && e.entity_id.startsWith('switch.')),
          'the new rule as a switch of the integration',
          t.patienceMs,
        );

        // An automation asks Wactorz and keeps the answer.
        await json(await t.api(`config/automation/config/${AUTOMATION_ID}`, {
          method: 'POST',
          body: JSON.stringify({
            alias: 'Ask Wactorz',
            triggers: [{ trigger: 'event', event_type: 'wactorz_companion_test' }],
            actions: [
              { action: 'wactorz.ask', data: { message: 'how is the house?' }, response_variable: 'answer' },
              { action: 'input_text.set_value', target: { entity_id: 'input_text.wactorz_reply' }, data: { value: '{{ answer.reply[:250] }}' } },
            ],
          }),
        }), 'saving the automation');
        // HA names the automation's entity after its alias.
        await until(() => stateOf(t, 'automation.ask_wactorz'), (s) => s === 'on', 'the automation loaded', t.patienceMs);
        await json(await t.api('events/wactorz_companion_test', { method: 'POST', body: '{}' }), 'firing the event');
        await until(() => stateOf(t, 'input_text.wactorz_reply'), (s) => s === 'It is a quiet evening at home.', 'the reply of wactorz.ask stored by the automation', t.patienceMs);

        // AI Task: data matching the structure the caller gave.
        const task = await json<{ service_response: { data: unknown; conversation_id: string } }>(
          await t.api('services/ai_task/generate_data?return_response', {
            method: 'POST',
            body: JSON.stringify({
              entity_id: aiTaskId,
              task_name: 'door count',
              instructions: 'How many people are at the door?',
              structure: { people: { selector: { number: {} }, required: true }, summary: { selector: { text: {} }, required: true } },
            }),
          }),
          'ai_task.generate_data',
        );
        expect(task.service_response.data).toEqual({ people: 2, summary: 'Two people at the door' });
      } finally {
        await t.api(`config/automation/config/${AUTOMATION_ID}`, { method: 'DELETE' }).catch(() => undefined);
        if (entryId) await t.api(`config/config_entries/entry/${entryId}`, { method: 'DELETE' }).catch(() => undefined);
        socket?.close();
        if (lightBefore === 'off' || lightBefore === 'on') await t.api(`services/light/turn_${lightBefore}`, { method: 'POST', body: JSON.stringify({ entity_id: LIGHT }) }).catch(() => undefined);
        await stopServerProcess(server);
        await fake?.close();
        dir.cleanup();
      }
    });
  });
}
