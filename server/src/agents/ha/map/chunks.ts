// Splitting a large map for MQTT. A broker caps message size (Mosquitto's message_size_limit, the
// add-on's defaults), so a map over `maxBytes` goes out as pieces: each chunk carries a slice of
// the entities with `index`/`total` and the snapshot id, and stays a valid map payload on its own
// (an `entities` array). Entities are never cut in half, so reassembly is concatenation in index
// order; the manifest (the map without entities) says how many chunks make the snapshot.
import type { HaMapSnapshot, MapEntity } from './build-map.ts';

export interface MapChunk {
  type: 'home_assistant_map_chunk';
  snapshot_id: string;
  generated_at: string;
  index: number;
  total: number;
  entities: MapEntity[];
}

export type MapManifest = Omit<HaMapSnapshot, 'type' | 'entities'> & {
  type: 'home_assistant_map_chunked';
  snapshot_id: string;
  total: number;
  entity_count: number;
  /** Where the chunks are, relative to the map topic: `<topic>/chunks/<index>`. */
  chunk_topic: string;
  entities: [];
};

export type MapMessages = { chunked: false; map: HaMapSnapshot } | { chunked: true; manifest: MapManifest; chunks: MapChunk[] };

const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v));

export function chunkMap(map: HaMapSnapshot, snapshotId: string, maxBytes: number): MapMessages {
  if (bytes(map) <= maxBytes) return { chunked: false, map };
  const slices: MapEntity[][] = [];
  const envelope = bytes({ type: 'home_assistant_map_chunk', snapshot_id: snapshotId, generated_at: map.generated_at, index: 999_999, total: 999_999, entities: [] });
  let current: MapEntity[] = [];
  let size = envelope;
  for (const entity of map.entities) {
    const add = bytes(entity) + 1;
    if (current.length > 0 && size + add > maxBytes) {
      slices.push(current);
      current = [];
      size = envelope;
    }
    // One entity larger than the limit still travels alone: dropping it would make the map lie.
    current.push(entity);
    size += add;
  }
  if (current.length > 0) slices.push(current);
  const total = slices.length;
  const chunks = slices.map((entities, index): MapChunk => ({ type: 'home_assistant_map_chunk', snapshot_id: snapshotId, generated_at: map.generated_at, index, total, entities }));
  const { type: _type, entities: _entities, ...rest } = map;
  const manifest: MapManifest = { ...rest, type: 'home_assistant_map_chunked', snapshot_id: snapshotId, total, entity_count: map.entities.length, chunk_topic: 'chunks', entities: [] };
  return { chunked: true, manifest, chunks };
}

/** Puts a chunked map back together; undefined while chunks of the snapshot are missing. */
export function reassemble(manifest: MapManifest, chunks: readonly MapChunk[]): HaMapSnapshot | undefined {
  const mine = chunks.filter((c) => c.snapshot_id === manifest.snapshot_id).sort((a, b) => a.index - b.index);
  if (mine.length !== manifest.total || mine.some((c, i) => c.index !== i)) return undefined;
  const { type: _type, snapshot_id: _id, total: _total, entity_count: _count, chunk_topic: _topic, entities: _none, ...rest } = manifest;
  return { ...rest, type: 'home_assistant_map', entities: mine.flatMap((c) => c.entities) };
}
