// One HA-layer suite, two homes: the demo home (the project's simulator, in-process) and a real
// Home Assistant Core (scripts/real-ha, `npm run ha:real`). A target says where the home is, which
// of its entities play each part in a test (the "cast": the two houses are furnished differently),
// and how to drive it the way a user or an integration would. Everything goes through HA's own
// APIs on both (REST to set a state, the process stopped and started for a restart), so the demo
// home is held to what the real one does.
import type { DemoHome } from '../../server/src/ha/demo/demo-home.ts';
import { LiveHaClient } from '../../server/src/ha/live-client.ts';
import { endpointsFor } from '../../server/src/ha/target.ts';
import type { Connection } from '../../scripts/real-ha/instance.ts';
import { quietLogger, startDemoHome } from './ha.ts';

/** Entities of each home that play the same part in a test. */
export interface HaCast {
  /** A light that can be switched, and its name as Assist knows it. */
  light: string;
  lightName: string;
  /** A light in `area`. */
  areaLight: string;
  area: { id: string; name: string; floorId: string };
  door: string;
  motion: string;
  lock: string;
  lockName: string;
  garage: string;
  climate: string;
  camera: string;
  temperature: string;
  switch: string;
  /** A label on `garage` (HA's demo lock has no unique id, so no registry entry to label). */
  securityLabel: string;
}

export interface HaTarget {
  readonly kind: 'demo' | 'real';
  readonly url: string;
  readonly token: string;
  readonly version: string;
  readonly cast: HaCast;
  /** Generous limits for waits against a real HA on 2 busy cores (the demo answers at once). */
  readonly patienceMs: number;
  /** A started LiveHaClient (not yet ready(): call it, or test the failure). */
  client(opts?: { token?: string }): Promise<LiveHaClient>;
  /** REST /api/v1 helper with the target's token. */
  api(path: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
  /** POST /api/states/<id>, keeping the entity's attributes (HA replaces them otherwise). */
  setState(entityId: string, state: string, attributes?: Record<string, unknown>): Promise<void>;
  /** The HA process stops (clients see the socket close) and comes back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

const DEMO_CAST: HaCast = {
  light: 'light.kitchen',
  lightName: 'Kitchen Light',
  areaLight: 'light.bedroom',
  area: { id: 'bedroom', name: 'Bedroom', floorId: 'first_floor' },
  door: 'binary_sensor.front_door',
  motion: 'binary_sensor.hallway_motion',
  lock: 'lock.front_door',
  lockName: 'Front Door Lock',
  garage: 'cover.garage_door',
  climate: 'climate.living_room',
  camera: 'camera.front_door',
  temperature: 'sensor.living_room_temperature',
  switch: 'switch.coffee_maker',
  securityLabel: 'security',
};

/** HA's demo integration, as scripts/real-ha/home-layout.ts places it. */
export const REAL_CAST: HaCast = {
  light: 'light.kitchen_lights',
  lightName: 'Kitchen Lights',
  areaLight: 'light.bed_light',
  area: { id: 'bedroom', name: 'Bedroom', floorId: 'first_floor' },
  door: 'binary_sensor.front_door',
  motion: 'binary_sensor.movement_backyard',
  lock: 'lock.front_door',
  lockName: 'Front Door',
  garage: 'cover.garage_door',
  climate: 'climate.hvac',
  camera: 'camera.demo_camera',
  temperature: 'sensor.outside_temperature',
  switch: 'switch.decorative_lights',
  securityLabel: 'security',
};

function restApi(url: string, token: string) {
  return (path: string, init: RequestInit & { token?: string | null } = {}) => {
    const { token: t = token, ...rest } = init;
    const headers: Record<string, string> = { ...(rest.body ? { 'content-type': 'application/json' } : {}) };
    if (t !== null) headers.authorization = `Bearer ${t}`;
    return fetch(`${url}/api/${path}`, { ...rest, headers });
  };
}

function setStateVia(api: ReturnType<typeof restApi>) {
  return async (entityId: string, state: string, attributes: Record<string, unknown> = {}) => {
    const current = await api(`states/${entityId}`);
    const kept = current.ok ? ((await current.json()) as { attributes: Record<string, unknown> }).attributes : {};
    const res = await api(`states/${entityId}`, { method: 'POST', body: JSON.stringify({ state, attributes: { ...kept, ...attributes } }) });
    if (!res.ok) throw new Error(`POST /api/states/${entityId} answered ${res.status}: ${await res.text()}`);
  };
}

function clientFor(url: string, token: string) {
  return async (opts: { token?: string } = {}) => {
    const client = new LiveHaClient({ endpoints: endpointsFor('direct', url, opts.token ?? token), logger: quietLogger() });
    await client.start();
    return client;
  };
}

export async function demoTarget(): Promise<HaTarget & { home: DemoHome }> {
  const home = await startDemoHome();
  const api = restApi(home.url, home.token);
  return {
    kind: 'demo',
    home,
    url: home.url,
    token: home.token,
    version: home.core.haVersion,
    cast: DEMO_CAST,
    patienceMs: 5_000,
    client: clientFor(home.url, home.token),
    api,
    setState: setStateVia(api),
    stop: () => home.stop(),
    start: () => home.start(),
    close: () => home.stop(),
  };
}

export interface RealHaControl {
  stop(): Promise<unknown>;
  start(): Promise<Connection>;
}

export function realTarget(connection: Connection, control: RealHaControl): HaTarget {
  const api = restApi(connection.url, connection.token);
  return {
    kind: 'real',
    url: connection.url,
    token: connection.token,
    version: connection.version,
    cast: REAL_CAST,
    patienceMs: 60_000,
    client: clientFor(connection.url, connection.token),
    api,
    setState: setStateVia(api),
    stop: async () => {
      await control.stop();
    },
    start: async () => {
      await control.start();
    },
    close: async () => {},
  };
}
