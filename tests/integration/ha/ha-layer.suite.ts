// The HA layer's contract, one suite for both homes (tests/helpers/ha-target.ts): what the product
// uses of Home Assistant - auth, the entity cache, registries, services, call_service and its
// errors, automation config, history for backtests, Assist, camera snapshots, reconnecting - must
// behave the same on the demo home and on a real HA Core. Run by ha-layer.demo.test.ts and
// tests/real-ha/real-ha.test.ts.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { backtest } from '../../../server/src/agents/planner/backtest/backtest.ts';
import type { LiveHaClient } from '../../../server/src/ha/live-client.ts';
import { systemClock } from '../../../server/src/core/clock.ts';
import { haRejection, waitForCachedState, waitForConnection, waitUntil } from '../../helpers/ha.ts';
import type { HaTarget } from '../../helpers/ha-target.ts';

function waitUntilState(client: LiveHaClient, check: () => boolean, timeoutMs: number): Promise<true> {
  return waitUntil(() => check() || undefined, () => `the connection to drop; it is ${client.connectionState()}`, (wake) => client.onConnectionState(wake), timeoutMs);
}

/** A real HA restarting on 2 busy cores takes tens of seconds; the limit only turns a hang into a failure. */
const CASE_TIMEOUT_MS = 180_000;

export function haLayerSuite(target: () => HaTarget, clients: { open(t: HaTarget, token?: string): Promise<LiveHaClient> }): void {
  describe('the HA layer', { timeout: CASE_TIMEOUT_MS }, () => suite(target, clients));
}

function suite(target: () => HaTarget, clients: { open(t: HaTarget, token?: string): Promise<LiveHaClient> }): void {
  const ready = async () => {
    const t = target();
    const client = await clients.open(t);
    await client.ready();
    return { t, client, c: t.cast };
  };

  describe('auth', () => {
    it('a wrong token fails the connection with auth_invalid (never echoed) and REST answers 401', async () => {
      const t = target();
      const client = await clients.open(t, 'not-a-valid-token');
      expect(client.health()).toMatchObject({ state: 'failed', error: expect.stringContaining('refused the access token') as string });
      expect(JSON.stringify(client.health())).not.toContain('not-a-valid-token');
      expect((await haRejection(client.ready())).code).toBe('auth_invalid');
      for (const token of [null, 'not-a-valid-token']) {
        const res = await t.api('states', { token });
        expect(res.status).toBe(401);
        expect(await res.text()).toBe('401: Unauthorized');
      }
    });
  });

  describe('what HA is', () => {
    it('loads states, config, services and the registries on connect', async () => {
      const { t, client, c } = await ready();
      expect(client.health()).toEqual({ mode: 'direct', state: 'connected', version: t.version });
      expect(client.config()).toMatchObject({ time_zone: 'Europe/Amsterdam', version: t.version });
      expect(client.getState('sun.sun')?.state).toMatch(/^(above|below)_horizon$/);
      expect(client.getState(c.lock)?.state).toBeDefined();
      for (const [domain, service] of [['light', 'turn_on'], ['lock', 'unlock'], ['cover', 'open_cover'], ['climate', 'set_temperature'], ['automation', 'reload'], ['automation', 'trigger'], ['conversation', 'process'], ['homeassistant', 'turn_on']]) {
        expect(client.hasService(domain, service), `${domain}.${service}`).toBe(true);
      }
      const r = client.registries();
      expect(r.floors.map((f) => f.floor_id)).toContain(c.area.floorId);
      expect(r.areas.find((a) => a.area_id === c.area.id)).toMatchObject({ name: c.area.name, floor_id: c.area.floorId });
      expect(r.labels.map((l) => l.label_id)).toContain(c.securityLabel);
      expect(r.entities.find((e) => e.entity_id === c.garage)?.labels).toContain(c.securityLabel);
      const light = r.entities.find((e) => e.entity_id === c.areaLight);
      const lightDevice = r.devices.find((d) => d.id === light?.device_id);
      expect(light?.area_id ?? lightDevice?.area_id).toBe(c.area.id);
    });

    it('runs other WebSocket commands through command(); HA names an unknown command', async () => {
      const { client } = await ready();
      expect((await client.command<{ is_admin: boolean }>({ type: 'auth/current_user' })).is_admin).toBe(true);
      const err = await haRejection(client.command({ type: 'no/such_command' }));
      expect(err.message).toContain('Unknown command');
    });
  });

  describe('entity cache from subscribe_entities', () => {
    it('follows a state set through HA\'s API, attributes kept', async () => {
      const { t, client, c } = await ready();
      await t.setState(c.door, 'off');
      await waitForCachedState(client, c.door, (s) => s?.state === 'off', t.patienceMs);
      const seen: string[] = [];
      const off = client.onStateChange((ch) => {
        if (ch.entityId === c.door) seen.push(`${ch.oldState?.state}->${ch.newState?.state}`);
      });
      await t.setState(c.door, 'on');
      const door = await waitForCachedState(client, c.door, (s) => s?.state === 'on', t.patienceMs);
      expect(door).toMatchObject({ attributes: { device_class: 'door' } });
      expect(seen).toEqual(['off->on']);
      off();
      await t.setState(c.door, 'off');
    });
  });

  describe('call_service', () => {
    it('acts on a target; the cache sees the new state', async () => {
      const { t, client, c } = await ready();
      await client.callService({ domain: 'light', service: 'turn_off', target: { entity_id: c.light } });
      await waitForCachedState(client, c.light, (s) => s?.state === 'off', t.patienceMs);
      const result = await client.callService({ domain: 'light', service: 'turn_on', target: { entity_id: c.light }, data: { brightness_pct: 50 } });
      expect(result.context.id).toMatch(/^[0-9A-Z]{26}$/);
      const on = await waitForCachedState(client, c.light, (s) => s?.state === 'on', t.patienceMs);
      expect(on).toMatchObject({ attributes: { brightness: 128 } });
      await client.callService({ domain: 'climate', service: 'set_temperature', target: { entity_id: c.climate }, data: { temperature: 22 } });
      await waitForCachedState(client, c.climate, (s) => s?.attributes.temperature === 22, t.patienceMs);
    });

    it('the client refuses an unknown service or entity before sending, naming what exists', async () => {
      const { client, c } = await ready();
      const svc = await haRejection(client.callService({ domain: 'light', service: 'explode', target: { entity_id: c.light } }));
      expect(svc.code).toBe('unknown_service');
      expect(svc.message).toMatch(/^Home Assistant has no service light\.explode \(light offers: .*turn_on.*\)\.$/);
      const ent = await haRejection(client.callService({ domain: 'light', service: 'turn_on', target: { entity_id: [c.light, 'light.attic'] } }));
      expect(ent.code).toBe('unknown_entity');
      expect(ent.message).toContain('no entity light.attic');
      expect(ent.message).toContain(c.light);
    });

    it('HA\'s own errors: not_found for an unknown service, invalid_format for bad data, a range refusal', async () => {
      const { client, c } = await ready();
      const missing = await haRejection(client.command({ type: 'call_service', domain: 'light', service: 'explode', target: { entity_id: c.light } }));
      expect(missing.code).toBe('not_found');
      expect(missing.message).toContain('light.explode');
      const bad = await haRejection(client.callService({ domain: 'light', service: 'turn_on', target: { entity_id: c.light }, data: { brightness: 'max' } }));
      expect(bad.code).toBe('invalid_format');
      const range = await haRejection(client.callService({ domain: 'climate', service: 'set_temperature', target: { entity_id: c.climate }, data: { temperature: 95 } }));
      expect(range.code).toBe('service_validation_error');
      expect(range.message).toMatch(/range/i);
    });
  });

  describe('automation config', () => {
    it('create, read, update, delete through the config API, with a reload in between', async () => {
      const { t, client, c } = await ready();
      const id = `wactorz_${randomBytes(4).toString('hex')}`;
      const alias = `Wactorz suite ${id}`;
      const entityId = `automation.${alias.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;
      const config = {
        alias,
        description: 'made by the HA-layer suite',
        triggers: [{ trigger: 'state', entity_id: c.door, to: 'on' }],
        conditions: [],
        actions: [{ action: 'light.turn_on', target: { entity_id: c.light } }],
        mode: 'single',
      };
      expect(await client.getAutomationConfig(id)).toBeUndefined();
      await client.saveAutomationConfig(id, config);
      const entity = await waitForCachedState(client, entityId, (s) => s?.state === 'on', t.patienceMs);
      expect(entity).toMatchObject({ attributes: { id, friendly_name: alias } });
      expect(await client.getAutomationConfig(id)).toEqual({ id, ...config });

      await client.saveAutomationConfig(id, { ...config, actions: [{ action: 'light.turn_off', target: { entity_id: c.light } }] });
      expect((await client.getAutomationConfig(id))?.actions).toEqual([{ action: 'light.turn_off', target: { entity_id: c.light } }]);
      await client.callService({ domain: 'automation', service: 'reload' });
      expect(client.getState(entityId)?.attributes.id).toBe(id);

      await client.deleteAutomationConfig(id);
      await waitForCachedState(client, entityId, (s) => s === undefined, t.patienceMs);
      expect(await client.getAutomationConfig(id)).toBeUndefined();
      expect((await haRejection(client.deleteAutomationConfig(id))).code).toBe('not_found');
    });

    it('refuses an invalid automation with HA\'s 400 and message', async () => {
      const { client } = await ready();
      const err = await haRejection(client.saveAutomationConfig(`wactorz_bad_${randomBytes(3).toString('hex')}`, { alias: 'broken', triggers: [{ trigger: 'no_such_trigger' }], actions: [] }));
      expect(err.code).toBe('invalid_format');
      expect(err.status).toBe(400);
    });
  });

  describe('history for a backtest', () => {
    it('the recorder keeps every change; a backtest over it counts the openings', async () => {
      const { t, client, c } = await ready();
      // From a known state (HA's demo motion sensor starts "on"): only changes after `start` count.
      await t.setState(c.motion, 'off');
      await waitForCachedState(client, c.motion, (x) => x?.state === 'off', t.patienceMs);
      const start = new Date();
      for (const s of ['on', 'off', 'on', 'off']) {
        await t.setState(c.motion, s);
        await waitForCachedState(client, c.motion, (x) => x?.state === s, t.patienceMs);
      }
      // The recorder commits in batches: poll until the last change is in.
      let series: { state: string }[];
      const deadline = Date.now() + t.patienceMs;
      for (;;) {
        series = (await client.history({ entityIds: [c.motion], start }))[0] ?? [];
        if (series.map((e) => e.state).slice(-4).join() === 'on,off,on,off' || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(series.map((e) => e.state).slice(-4)).toEqual(['on', 'off', 'on', 'off']);
      // The window covers this test's changes only: a real HA keeps the history of earlier runs.
      const result = await backtest({ kind: 'state', entityId: c.motion, filter: { 'new_state.state': 'on' }, conditions: [], cooldownSeconds: 0 }, { clock: systemClock, ha: client }, { windowHours: (Date.now() - start.getTime() + 200) / 3_600_000 });
      expect(result).toMatchObject({ source: 'ha_history', fires: 2 });
    });
  });

  describe('Assist: HA\'s own conversation agent', () => {
    it('turns a light on by its name and says so; an unknown device is an error answer', async () => {
      const { t, client, c } = await ready();
      await client.callService({ domain: 'light', service: 'turn_off', target: { entity_id: c.light } });
      await waitForCachedState(client, c.light, (s) => s?.state === 'off', t.patienceMs);
      const done = await client.conversation(`turn on the ${c.lightName}`, { language: 'en' });
      expect(done.response.response_type).toBe('action_done');
      expect(done.response.data).toMatchObject({ success: [expect.objectContaining({ id: c.light, type: 'entity' })] });
      await waitForCachedState(client, c.light, (s) => s?.state === 'on', t.patienceMs);
      const unknown = await client.conversation('turn on the spaceship', { language: 'en' });
      expect(unknown.response.response_type).toBe('error');
      expect(unknown.response.speech?.plain?.speech).toMatch(/^Sorry/);
    });
  });

  describe('camera snapshots', () => {
    it('returns an image; an unknown camera is unknown_entity', async () => {
      const { client, c } = await ready();
      const shot = await client.cameraSnapshot(c.camera);
      // HA's demo camera declares "image/jpg" (sic); the client passes HA's type on unchanged.
      expect(shot.contentType).toMatch(/^image\/(png|jpe?g)$/);
      const magic = shot.data.subarray(0, 4).toString('hex');
      expect(['89504e47', 'ffd8ffe0', 'ffd8ffdb', 'ffd8ffe1']).toContain(magic);
      expect((await haRejection(client.cameraSnapshot('camera.nowhere'))).code).toBe('unknown_entity');
    });
  });

  describe('reconnect and resubscribe', () => {
    it('after the HA process stops and starts again, the client reconnects and follows changes', async () => {
      const { t, client, c } = await ready();
      const states: string[] = [];
      client.onConnectionState((s) => states.push(s));
      await t.stop();
      // A real HA takes a moment to exit, and the client may already be retrying ("connecting").
      await waitUntilState(client, () => states.includes('disconnected'), t.patienceMs);
      const err = await haRejection(client.callService({ domain: 'light', service: 'turn_on', target: { entity_id: c.light } }));
      expect(err.code).toBe('not_connected');
      await t.start();
      await waitForConnection(client, 'connected', t.patienceMs * 2);
      await client.ready();
      await t.setState(c.door, 'on');
      await waitForCachedState(client, c.door, (s) => s?.state === 'on', t.patienceMs);
      await t.setState(c.door, 'off');
      await waitForCachedState(client, c.door, (s) => s?.state === 'off', t.patienceMs);
    });
  });
}
