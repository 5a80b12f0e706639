// Wactorz as an Assist conversation agent of the real Home Assistant, through HA's own `wyoming`
// integration: the product runs as its own process against the real HA with its Wyoming port on
// loopback and no api_key, so HA's connections (from 127.0.0.1: HA runs chrooted on the host's
// network) are the owner's, the product's standalone rule (interfaces/wyoming/peers.ts). HA's
// config flow is walked through its REST API with host and port, as a user adds the service by
// hand; the entity it makes is listed as a conversation agent; `conversation/process` with that
// agent id is answered by Wactorz and turns a real demo light on; a lock opens only after a "yes",
// which only the owner's channel may give. The entry is removed at the end and the light and the
// lock put back, so the suite leaves HA as it found it.
import { describe, expect, it } from 'vitest';
import { CLASSIFIER_SYSTEM } from '../../server/src/agents/main/routing/classifier.ts';
import { FACTS_SYSTEM } from '../../server/src/agents/main/memory/facts-extractor.ts';
import { RESOLVE_SYSTEM } from '../../server/src/agents/ha/one-off/resolve.ts';
import type { Connection } from '../../scripts/real-ha/instance.ts';
import { openHaSocket, type HaSocket } from '../../scripts/real-ha/ws-session.ts';
import { freePort } from '../helpers/brokers.ts';
import { reply, startFakeLlm, type FakeLlmServer, type FakeRequest } from '../helpers/fake-llm/index.ts';
import type { HaTarget } from '../helpers/ha-target.ts';
import { startServerProcess, stopServerProcess, waitForOutput, type ServerProcess } from '../helpers/server-process.ts';
import { makeTempDir } from '../helpers/tmp.ts';
import { assist, flowStep, json, startFlow, stateOf } from './ha-rest.ts';
import { until } from './poll.ts';
import { productEnv } from './product-env.ts';

/** A demo light the other suites leave alone. */
const LIGHT = 'light.ceiling_lights';
const LIGHT_NAME = 'Ceiling Lights';
const LOCK = 'lock.front_door';

function script(r: FakeRequest) {
  const system = typeof r.body.system === 'string' ? r.body.system : JSON.stringify(r.body.system ?? '');
  if (system.includes(CLASSIFIER_SYSTEM.slice(0, 60))) return reply.text('ACTUATE');
  if (system.includes(RESOLVE_SYSTEM.slice(0, 60))) {
    const unlock = JSON.stringify(r.body.messages ?? []).includes('unlock the front door');
    return reply.text(JSON.stringify({ calls: [unlock ? { domain: 'lock', service: 'unlock', entity_id: LOCK } : { domain: 'light', service: 'turn_on', entity_id: LIGHT }] }));
  }
  if (system.includes(FACTS_SYSTEM.slice(0, 60))) return reply.text('{"facts":[]}');
  return reply.text('OK.');
}

async function callService(t: HaTarget, entityId: string, service: string, state: string): Promise<void> {
  const domain = entityId.split('.')[0];
  await json(await t.api(`services/${domain}/${service}`, { method: 'POST', body: JSON.stringify({ entity_id: entityId }) }), `${domain}.${service}`);
  await until(() => stateOf(t, entityId), (s) => s === state, `${entityId} ${state} after ${domain}.${service}`, t.patienceMs);
}

export function realHaWyoming(target: () => HaTarget, connection: () => Connection): void {
  describe('Wactorz as an Assist agent of the real HA (wyoming integration)', { timeout: 300_000 }, () => {
    it('config flow with host and port, listed as a conversation agent, conversation/process turns on a demo light', async () => {
      const t = target();
      const c = connection();
      const dir = makeTempDir('wactorz-real-ha-wyoming-');
      let fake: FakeLlmServer | undefined;
      let server: ServerProcess | undefined;
      let socket: HaSocket | undefined;
      let entryId: string | undefined;
      const lightBefore = await stateOf(t, LIGHT);
      const lockBefore = await stateOf(t, LOCK);
      try {
        fake = await startFakeLlm({ respond: script });
        const wyomingPort = await freePort();
        server = await startServerProcess({
          ...productEnv(c, dir.path, fake),
          WACTORZ_HOST: '127.0.0.1',
          WACTORZ_WYOMING_PORT: String(wyomingPort),
        });
        await waitForOutput(server, 'wactorz is up', 60_000);
        expect(server.output()).toContain('wyoming server listening');
        await callService(t, LIGHT, 'turn_off', 'off');

        // HA's config flow, as the "Add integration" dialog drives it: a form, then host and port.
        // HA connects and asks `describe`; the entry is named after the handle program.
        const form = await startFlow(t, 'wyoming');
        expect(form).toMatchObject({ type: 'form', step_id: 'user' });
        const created = await flowStep(t, form, { host: '127.0.0.1', port: wyomingPort }, "the wyoming config flow's user step");
        expect(created, JSON.stringify(created)).toMatchObject({ type: 'create_entry', title: 'Wactorz' });
        entryId = typeof created.result === 'object' ? created.result.entry_id : undefined;
        expect(entryId).toBeTruthy();

        // The entry's conversation entity, and HA listing it among Assist's conversation agents.
        socket = await openHaSocket(c.url, c.token);
        const ws = socket;
        const entities = await until(
          () => ws.command<{ entity_id: string; config_entry_id: string | null; platform: string }[]>({ type: 'config/entity_registry/list' }),
          (list) => list.some((e) => e.config_entry_id === entryId && e.entity_id.startsWith('conversation.')),
          'the wyoming entry\'s conversation entity in HA\'s entity registry',
          t.patienceMs,
        );
        const agentId = entities.find((e) => e.config_entry_id === entryId && e.entity_id.startsWith('conversation.'))?.entity_id as string;
        expect(entities.find((e) => e.entity_id === agentId)?.platform).toBe('wyoming');
        const agents = await until(
          () => ws.command<{ agents: { id: string; name: string }[] }>({ type: 'conversation/agent/list' }),
          (r) => r.agents.some((a) => a.id === agentId),
          `${agentId} among HA's conversation agents`,
          t.patienceMs,
        );
        expect(agents.agents.find((a) => a.id === agentId)?.name).toContain('Wactorz');
        await until(() => stateOf(t, agentId), (s) => s !== undefined && s !== 'unavailable', `${agentId} available`, t.patienceMs);

        // Assist's own REST door with that agent id: HA sends the transcript over Wyoming, Wactorz
        // runs the turn on the owner's channel and turns the light on in the real HA.
        const answer = await assist(t, agentId, `turn on the ${LIGHT_NAME.toLowerCase()}`);
        expect(answer.response.response_type).toBe('action_done');
        expect(answer.response.speech.plain.speech).toBe(`Done: turn on ${LIGHT_NAME}.`);
        expect(await stateOf(t, LIGHT)).toBe('on');
        expect(fake.requests.some((r) => JSON.stringify(r.body.messages ?? []).includes(`turn on the ${LIGHT_NAME.toLowerCase()}`))).toBe(true);

        // HA's connection is the owner's (Assist), not the restricted `wyoming` channel of an
        // unknown peer: a lock waits for a confirmation, and only the owner's "yes" opens it.
        await callService(t, LOCK, 'lock', 'locked');
        const asked = await assist(t, agentId, 'unlock the front door', '01WYOMINGREALHADOOR');
        expect(asked.response.speech.plain.speech).toContain('Reply "yes"');
        expect(await stateOf(t, LOCK)).toBe('locked');
        await assist(t, agentId, 'yes', '01WYOMINGREALHADOOR');
        await until(() => stateOf(t, LOCK), (s) => s === 'unlocked', `${LOCK} unlocked by the confirmed turn`, t.patienceMs);
      } finally {
        socket?.close();
        if (entryId) await json(await t.api(`config/config_entries/entry/${entryId}`, { method: 'DELETE' }), 'removing the wyoming entry');
        await stopServerProcess(server);
        await fake?.close();
        dir.cleanup();
        if (lightBefore === 'on' || lightBefore === 'off') await callService(t, LIGHT, lightBefore === 'on' ? 'turn_on' : 'turn_off', lightBefore);
        if (lockBefore === 'locked' || lockBefore === 'unlocked') await callService(t, LOCK, lockBefore === 'locked' ? 'lock' : 'unlock', lockBefore);
      }
      // Nothing of the entry is left in HA.
      const left = await json<{ domain: string }[]>(await t.api('config/config_entries/entry'), 'listing the config entries');
      expect(left.filter((e) => e.domain === 'wyoming')).toEqual([]);
    });
  });
}
