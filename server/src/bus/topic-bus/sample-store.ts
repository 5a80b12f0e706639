// The TopicBus's samples and agents' manifests in SQLite (topic_samples, topic_manifests: migration
// 800). Rows hold broker data: they are parsed as JSON and checked by zod on the way back, never
// run; a row that does not parse is dropped. Writes come in batches from persistence.ts, one
// transaction each, with the sample table cut back to its bound in the same transaction.
import type { Db } from '../../store/database.ts';
import { AgentManifest } from './manifest.ts';
import { ObservedSample } from './observed.ts';

export interface StoredSample {
  topic: string;
  publisher: string | undefined;
  sample: ObservedSample;
}

export interface SampleBatch {
  samples: readonly StoredSample[];
  /** Topics whose sample is gone (evicted from the registry). */
  forgetTopics: readonly string[];
  manifests: readonly AgentManifest[];
  /** Agents whose contract is gone (deleted, pruned). */
  forgetAgents: readonly string[];
}

interface SampleRow {
  topic: string;
  publisher: string | null;
  sample: string;
}

export class TopicSampleStore {
  readonly #db: Db;
  readonly #upsertSample;
  readonly #deleteSample;
  readonly #trimSamples;
  readonly #upsertManifest;
  readonly #deleteManifest;

  constructor(db: Db) {
    this.#db = db;
    this.#upsertSample = db.prepare('INSERT INTO topic_samples (topic, publisher, sample, last_seen) VALUES (?, ?, ?, ?) ON CONFLICT (topic) DO UPDATE SET publisher = excluded.publisher, sample = excluded.sample, last_seen = excluded.last_seen');
    this.#deleteSample = db.prepare('DELETE FROM topic_samples WHERE topic = ?');
    this.#trimSamples = db.prepare('DELETE FROM topic_samples WHERE topic NOT IN (SELECT topic FROM topic_samples ORDER BY last_seen DESC LIMIT ?)');
    this.#upsertManifest = db.prepare('INSERT INTO topic_manifests (agent, manifest, updated_at) VALUES (?, ?, ?) ON CONFLICT (agent) DO UPDATE SET manifest = excluded.manifest, updated_at = excluded.updated_at');
    this.#deleteManifest = db.prepare('DELETE FROM topic_manifests WHERE agent = ?');
  }

  /** One transaction: the batch, then the samples beyond `maxTopics` (least recently seen first) go. */
  write(batch: SampleBatch, maxTopics: number): void {
    this.#db.transaction(() => {
      for (const topic of batch.forgetTopics) this.#deleteSample.run(topic);
      for (const s of batch.samples) this.#upsertSample.run(s.topic, s.publisher ?? null, JSON.stringify(s.sample), Math.round(s.sample.last_seen));
      for (const agent of batch.forgetAgents) this.#deleteManifest.run(agent);
      for (const m of batch.manifests) this.#upsertManifest.run(m.name, JSON.stringify(m), Math.round(m.updated_at));
      this.#trimSamples.run(maxTopics);
    })();
  }

  /** The newest `limit` samples, oldest first (so a registry bounded by recency keeps the newest); bad rows are deleted. */
  samples(limit: number): StoredSample[] {
    const rows = this.#db.prepare('SELECT topic, publisher, sample FROM topic_samples ORDER BY last_seen DESC LIMIT ?').all(limit) as SampleRow[];
    const out: StoredSample[] = [];
    for (const row of rows.reverse()) {
      const sample = ObservedSample.safeParse(parseJson(row.sample));
      if (sample.success) out.push({ topic: row.topic, publisher: row.publisher ?? undefined, sample: sample.data });
      else this.#deleteSample.run(row.topic);
    }
    return out;
  }

  /** Every stored manifest that still parses as one; bad rows are deleted. */
  manifests(): AgentManifest[] {
    const rows = this.#db.prepare('SELECT agent, manifest FROM topic_manifests').all() as { agent: string; manifest: string }[];
    const out: AgentManifest[] = [];
    for (const row of rows) {
      const manifest = AgentManifest.safeParse(parseJson(row.manifest));
      if (manifest.success && manifest.data.name === row.agent) out.push(manifest.data);
      else this.#deleteManifest.run(row.agent);
    }
    return out;
  }

  forgetManifest(agent: string): void {
    this.#deleteManifest.run(agent);
  }

  forgetSample(topic: string): void {
    this.#deleteSample.run(topic);
  }

  count(): { samples: number; manifests: number } {
    const n = (sql: string) => (this.#db.prepare(sql).get() as { n: number }).n;
    return { samples: n('SELECT COUNT(*) AS n FROM topic_samples'), manifests: n('SELECT COUNT(*) AS n FROM topic_manifests') };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
