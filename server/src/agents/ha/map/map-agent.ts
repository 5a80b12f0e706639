// home-assistant-map-agent: keeps the location-enriched map of the home (build-map.ts) and
// publishes it, retained, on ha/map/entities_with_location. It rebuilds when a registry changes
// (areas, floors, devices, entities, labels; a burst of events makes one rebuild) and on request
// (`refresh`, `refresh simple` without states). A map over the size limit is published as
// retained chunks on <topic>/chunks/<index> followed by a manifest on the topic itself, so a
// subscriber arriving later still finds every piece. The latest snapshot also lives in an
// HaMapStore, which serves GET /api/ha-map and outlives restarts of the agent.
import { randomUUID } from 'node:crypto';
import { topicFor } from '../../../bus/topics.ts';
import { Actor } from '../../../core/actor.ts';
import type { Message } from '../../../core/messages.ts';
import type { HaClient, RegistryKind } from '../../../ha/client.ts';
import type { HaMap } from '../../../contract/ha-map.ts';
import type { HaMapService } from '../../../contract/services.ts';
import { buildMap, type HaMapSnapshot } from './build-map.ts';
import { chunkMap } from './chunks.ts';

export const MAP_AGENT_NAME = 'home-assistant-map-agent';
/** Well under common broker limits (Mosquitto add-on setups often cap messages at 256 KiB-1 MiB). */
export const DEFAULT_MAX_CHUNK_BYTES = 128 * 1024;
const DEFAULT_DEBOUNCE_MS = 1_000;

/** The latest snapshot, shared by the agent (writer) and the HTTP API (reader). */
export class HaMapStore {
  #latest: HaMapSnapshot | undefined;
  /** Chunks retained on the broker by the last publish (so a restarted agent can clear stale ones). */
  chunks = 0;
  #listeners = new Set<(map: HaMapSnapshot) => void>();

  latest(): HaMapSnapshot | undefined {
    return this.#latest;
  }

  set(map: HaMapSnapshot): void {
    this.#latest = map;
    for (const l of this.#listeners) l(map);
  }

  onUpdate(listener: (map: HaMapSnapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** GET /api/ha-map: undefined (404) until the first snapshot. */
  service(): HaMapService {
    return { snapshot: async (): Promise<HaMap | undefined> => this.#latest };
  }
}

export interface MapAgentOptions {
  ha: HaClient;
  store: HaMapStore;
  maxChunkBytes?: number;
  debounceMs?: number;
  name?: string;
}

class Rebuild {
  readonly withStates: boolean;
  readonly reason: string;
  constructor(reason: string, withStates = true) {
    this.reason = reason;
    this.withStates = withStates;
  }
}

export class HaMapAgent extends Actor {
  #opts: MapAgentOptions;
  #offs: (() => void)[] = [];
  #pending = false;
  #rebuilds = 0;
  #registryEvents = 0;
  #lastError: string | null = null;

  constructor(opts: MapAgentOptions) {
    super({ name: opts.name ?? MAP_AGENT_NAME, kind: 'ha_map', protected: true });
    this.#opts = opts;
  }

  protected override onStart(): void {
    if (!this.bus) throw new Error(`${this.name}: there is no MQTT bus to publish the map on`);
    const { ha } = this.#opts;
    this.#offs.push(ha.onRegistryChange((kind) => this.#registryChanged(kind)));
    // The first map as soon as HA has loaded its states and registries.
    this.later(ha.ready(this.signal), () => this.#rebuild(new Rebuild('start')));
  }

  protected override onStop(): void {
    for (const off of this.#offs.splice(0)) off();
  }

  protected handle(msg: Message): unknown {
    switch (msg.type) {
      case 'task':
        return this.#command(typeof msg.payload === 'string' ? msg.payload : (msg.payload as { action?: unknown } | null)?.action);
      case 'command':
        return this.#command(msg.command === 'refresh' && msg.args === 'simple' ? 'refresh simple' : msg.command);
      case 'error':
        // ha.ready() failed (HA never came): the next registry event or a refresh builds the map.
        this.#lastError = msg.error.message;
        return undefined;
      case 'event':
      case 'result':
      case 'heartbeat':
        return undefined;
    }
  }

  #command(command: unknown): unknown {
    switch (command) {
      case 'refresh':
        return this.#rebuild(new Rebuild('refresh'));
      case 'refresh simple':
        return this.#rebuild(new Rebuild('refresh', false));
      case 'status':
        return {
          connection: this.#opts.ha.connectionState(),
          rebuilds: this.#rebuilds,
          registry_events: this.#registryEvents,
          last_error: this.#lastError,
          generated_at: this.#opts.store.latest()?.generated_at ?? null,
          entities: this.#opts.store.latest()?.entities.length ?? 0,
          chunks: this.#opts.store.chunks,
        };
      default:
        return undefined;
    }
  }

  #registryChanged(_kind: RegistryKind): void {
    this.#registryEvents++;
    if (this.#pending) return;
    this.#pending = true;
    this.after(this.#opts.debounceMs ?? DEFAULT_DEBOUNCE_MS, () => this.#rebuild(new Rebuild('registry')));
  }

  #rebuild(req: Rebuild): { entities: number; chunks: number } | { error: string } {
    if (req.reason === 'registry') this.#pending = false;
    const { ha } = this.#opts;
    if (ha.connectionState() !== 'connected' && ha.states().length === 0) {
      this.#lastError = 'Home Assistant is not connected; no map yet';
      return { error: this.#lastError };
    }
    const map = buildMap({ registries: ha.registries(), states: ha.states(), config: ha.config(), now: this.clock.now(), withStates: req.withStates });
    this.#rebuilds++;
    this.#lastError = null;
    this.#opts.store.set(map);
    const chunks = this.#publish(map);
    return { entities: map.entities.length, chunks };
  }

  /** Returns the number of chunks (0: the map went out whole). */
  #publish(map: HaMapSnapshot): number {
    const bus = this.bus;
    if (!bus) return 0;
    const out = chunkMap(map, randomUUID(), this.#opts.maxChunkBytes ?? DEFAULT_MAX_CHUNK_BYTES);
    const chunkTopic = (i: number) => topicFor(bus.root, 'haEntitiesWithLocationChunk', { index: String(i) });
    const previous = this.#opts.store.chunks;
    const total = out.chunked ? out.chunks.length : 0;
    if (out.chunked) {
      // Chunks before the manifest: whoever sees the manifest can already find every chunk.
      for (const chunk of out.chunks) bus.publishRaw(chunkTopic(chunk.index), chunk, { qos: 0, retain: true });
      this.publish('haEntitiesWithLocation', {}, out.manifest);
    } else {
      this.publish('haEntitiesWithLocation', {}, out.map);
    }
    // Chunks of an earlier, larger map would otherwise stay retained forever ([MQTT-3.3.1-10]: an
    // empty retained payload removes the retained message).
    for (let i = total; i < previous; i++) bus.publishRaw(chunkTopic(i), '', { qos: 0, retain: true });
    this.#opts.store.chunks = total;
    return total;
  }
}
