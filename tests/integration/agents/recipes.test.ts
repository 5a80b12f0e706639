// Every catalog recipe end to end, spawned through the catalog agent into real isolates, against
// the demo home (state changes bridged to MQTT), the fake LLM and a local HTTP server the fetch
// policy explicitly allows.
import { createServer, type Server } from 'node:http';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { DEFAULT_RECIPES_DIR } from '../../../server/src/agents/catalog/recipe.ts';
import { eventually, startWorld, until, type AgentWorld } from '../../helpers/agent-world.ts';
import { reply } from '../../helpers/fake-llm/index.ts';

let world: AgentWorld;
let server: Server | undefined;

beforeEach(async () => {
  world = await startWorld({ recipesDir: DEFAULT_RECIPES_DIR, allowAddresses: ['127.0.0.1'] });
});
afterEach(async () => {
  await world.close();
  if (server) await new Promise((r) => server?.close(r));
  server = undefined;
});

const catalog = <T = Record<string, unknown>>(payload: unknown) => world.system.ask<T>('catalog', payload, { timeoutMs: 20_000 });
const ask = <T = unknown>(agent: string, payload: unknown) => world.system.ask<T>(agent, payload, { timeoutMs: 20_000 });
const plain = (v: unknown) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>;

test('the catalog lists every recipe with its parameters and describes one without its code', async () => {
  const list = await catalog<{ recipes: { name: string; parameters: Record<string, unknown> }[] }>({ action: 'list' });
  expect(list.recipes.map((r) => r.name).sort()).toEqual(['camera-describer', 'daily-presence-summary', 'reminders', 'sensor-anomaly-detector', 'weather-fetcher']);
  expect(list.recipes.find((r) => r.name === 'weather-fetcher')?.parameters.url).toMatchObject({ type: 'string', default: expect.stringContaining('open-meteo') as unknown });
  const info = await catalog({ action: 'info', recipe: 'the camera thing' });
  expect(info).toMatchObject({ name: 'camera-describer', scopes: expect.arrayContaining(['ha:camera', 'llm']) as unknown, example_task: { op: 'describe' } });
  expect(JSON.stringify(info)).not.toContain('cameraSnapshot(');
  const text = await catalog<string>('info the camera thing');
  expect(text).toMatch(/^\*\*camera-describer\*\*/);
  expect(text).not.toContain('cameraSnapshot(');
  expect(plain(await catalog({ action: 'info', recipe: 'telescope' })).error).toContain('no recipe matches "telescope"');
});

test('sensor anomaly detector: a z-score outlier on the demo home sensor is published, alerted and notified', async () => {
  const spawned = await catalog({ action: 'spawn', recipe: 'anomaly', name: 'temp-watch', params: { entity_id: 'sensor.living_room_temperature', min_samples: 5, notify: true } });
  expect(spawned).toMatchObject({ recipe: 'sensor-anomaly-detector', status: 'spawned', name: 'temp-watch' });
  expect(world.agents.spawner.meta.get('temp-watch')?.scopes).toContain('window');
  const readings = ['21.0', '21.2', '20.9', '21.1', '21.3', '20.8'];
  for (const r of readings) world.home.setState('sensor.living_room_temperature', r, { unit_of_measurement: '°C', device_class: 'temperature' });
  // Wait on `judged`, not `samples`: the window counts a reading before the detector has judged it.
  const calm = await until(() => ask<{ samples: number; judged: number; anomalies: number }>('temp-watch', {}), (s) => s.judged === readings.length, 'the calm readings judged');
  expect(calm).toMatchObject({ samples: readings.length, anomalies: 0 });
  expect(world.on('custom/anomalies/temp-watch')).toEqual([]);
  world.home.setState('sensor.living_room_temperature', '29.5', { unit_of_measurement: '°C', device_class: 'temperature' });
  await eventually(() => world.on('custom/anomalies/temp-watch').length === 1, 'the anomaly');
  expect(world.on('custom/anomalies/temp-watch')[0]?.payload).toMatchObject({ entity_id: 'sensor.living_room_temperature', value: 29.5 });
  await eventually(() => world.on('agents/temp-watch/alert').length === 1, 'the alert');
  expect((world.on('agents/temp-watch/alert')[0]?.payload as { message: string }).message).toContain('sensor.living_room_temperature reads 29.5, unusual');
  await eventually(() => world.home.notifications().some((n) => n.title === 'Unusual reading'), 'the notification');
  // Within the cooldown (15 min) a second outlier does not alert again; after it, one does.
  world.home.setState('sensor.living_room_temperature', '60.0', { unit_of_measurement: '°C', device_class: 'temperature' });
  const cooled = await until(() => ask<{ judged: number; anomalies: number }>('temp-watch', {}), (s) => s.judged === readings.length + 2, 'the second outlier judged');
  expect(cooled.anomalies).toBe(1);
  await world.clock.advance(16 * 60 * 1000);
  world.home.setState('sensor.living_room_temperature', '95.0', { unit_of_measurement: '°C', device_class: 'temperature' });
  await until(() => ask<{ anomalies: number }>('temp-watch', {}), (s) => s.anomalies === 2, 'the alert after the cooldown');
  await eventually(() => world.on('custom/anomalies/temp-watch').length === 2, 'the second anomaly on the broker');
  expect(world.on('custom/anomalies/temp-watch').map((m) => (m.payload as { value: number }).value)).toEqual([29.5, 95]);
});

test('daily presence summary: counts the day on the demo home and notifies at the hour, phrased by the LLM', async () => {
  const hour = (new Date(world.clock.now()).getHours() + 1) % 24;
  await catalog({ action: 'spawn', recipe: 'presence summary', params: { hour } });
  world.home.setState('binary_sensor.front_door', 'on', { device_class: 'door', friendly_name: 'Front Door' });
  world.home.setState('binary_sensor.hallway_motion', 'on', { device_class: 'motion', friendly_name: 'Hallway Motion' });
  world.home.setState('person.alex', 'not_home', { friendly_name: 'Alex' });
  world.home.setState('person.alex', 'home', { friendly_name: 'Alex' });
  const counted = await until(() => ask<Record<string, number>>('daily-presence-summary', { op: 'summary' }), (c) => c.arrivals === 1, 'the day counted');
  expect(counted).toMatchObject({ arrivals: 1, departures: 1, door_openings: 1, motion_events: 1 });
  expect(world.home.notifications()).toEqual([]);
  world.fake.enqueue(reply.text('A quiet day: Alex left once and came back, the front door opened once.'));
  await world.clock.advance(60 * 60 * 1000);
  await eventually(() => world.home.notifications().length === 1, 'the evening notification');
  expect(world.home.notifications()[0]).toMatchObject({ service: 'notify.mobile_app_phone', title: 'Home today', message: 'A quiet day: Alex left once and came back, the front door opened once.' });
  expect(JSON.stringify(world.fake.lastRequest().body)).toContain('1 arrival(s), 1 departure(s), 1 door opening(s), 1 motion event(s)');
  expect(world.llm.ledger.report({ period: 'all', agent: 'daily-presence-summary' }).totals.calls).toBe(1);
  // Once a day.
  await world.clock.advance(10 * 60 * 1000);
  expect(world.home.notifications().length).toBe(1);
});

test('weather fetcher: fetches the allowed local server every poll interval and publishes the reading', async () => {
  let calls = 0;
  server = createServer((_req, res) => {
    calls++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ current_weather: { temperature: 17 + calls, windspeed: 12.5, weathercode: 3 } }));
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1/forecast`;
  await catalog({ action: 'spawn', recipe: 'wether', params: { url, location: 'Athens' } });
  await eventually(() => world.on('custom/weather/weather-fetcher').length === 1, 'the first reading');
  expect(world.on('custom/weather/weather-fetcher')[0]?.payload).toMatchObject({ location: 'Athens', temperature: 18, windspeed: 12.5, weathercode: 3 });
  await world.clock.advance(1800 * 1000);
  await eventually(() => world.on('custom/weather/weather-fetcher').length === 2, 'the second reading');
  expect(await ask('weather-fetcher', { op: 'current' })).toMatchObject({ temperature: 19 });
  expect(calls).toBe(2);
  expect(await ask('weather-fetcher', { op: 'current', refresh: true })).toMatchObject({ temperature: 20 });
});

test('camera describer: the demo camera snapshot goes to the LLM as an image; a door opening triggers a notified description', async () => {
  await catalog({ action: 'spawn', recipe: 'camera', params: { trigger_entity: 'binary_sensor.front_door' } });
  world.fake.enqueue(reply.text('A person holding a parcel stands at the door.'));
  const described = await ask<{ camera: string; description: string }>('camera-describer', { op: 'describe' });
  expect(described).toMatchObject({ camera: 'camera.front_door', description: 'A person holding a parcel stands at the door.' });
  const content = (world.fake.lastRequest().body as { messages: { content: { type: string; source?: { media_type: string; data: string } }[] }[] }).messages[0]?.content ?? [];
  const image = content.find((p) => p.type === 'image');
  expect(image?.source?.media_type).toBe('image/png');
  expect(Buffer.from(image?.source?.data ?? '', 'base64').subarray(1, 4).toString()).toBe('PNG');
  expect(world.llm.ledger.report({ period: 'all', agent: 'camera-describer', callSite: 'agent' }).totals.calls).toBe(1);

  world.fake.enqueue(reply.text('Nobody is there; a cat walks by.'));
  world.home.setState('binary_sensor.front_door', 'on', { device_class: 'door', friendly_name: 'Front Door' });
  await eventually(() => world.home.notifications().length === 1, 'the triggered notification');
  expect(world.home.notifications()[0]).toMatchObject({ message: 'Nobody is there; a cat walks by.', title: 'At front door' });
  await eventually(() => world.on('custom/camera/camera-describer').length === 2, 'both descriptions published');
});

test('reminders: due reminders are notified on the clock, and a pending one survives a restart', async () => {
  await catalog('spawn reminders');
  const first = await ask<{ id: number; at: number }>('reminders', { text: 'Take the laundry out', in: '10m' });
  expect(first).toMatchObject({ id: 1, text: 'Take the laundry out', at: world.clock.now() + 600_000 });
  await ask('reminders', { text: 'Call mum', in: '2h' });
  expect(plain(await ask('reminders', { text: 'Nothing', in: 'soon' })).error).toContain('"in" must be seconds or like "20m"');
  await world.clock.advance(9 * 60 * 1000);
  expect(world.home.notifications()).toEqual([]);
  await world.clock.advance(90 * 1000);
  await eventually(() => world.home.notifications().length === 1, 'the laundry reminder');
  expect(world.home.notifications()[0]).toMatchObject({ message: 'Take the laundry out', title: 'Reminder' });
  expect(await ask('reminders', { op: 'list' })).toEqual([{ id: 2, text: 'Call mum', at: first.at + 110 * 60 * 1000 }]);

  expect(await world.restart()).toMatchObject({ restored: ['reminders'], failed: [] });
  await world.clock.advance(2 * 60 * 60 * 1000);
  await eventually(() => world.home.notifications().length === 2, 'the reminder after the restart');
  expect(world.home.notifications()[1]).toMatchObject({ message: 'Call mum' });
  expect(await ask('reminders', { op: 'list' })).toEqual([]);
});
