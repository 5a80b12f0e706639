// agent.persist/recall on the Pi: one JSON file per agent under the data dir, rewritten atomically
// (write to a temp file, then rename) so a power cut leaves the old or the new file, never half.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Json } from '../../server/src/sandbox/types.ts';

export class JsonFileStore {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
    mkdirSync(dir, { recursive: true });
  }

  #file(agent: string): string {
    return join(this.#dir, `${agent}.json`);
  }

  load(agent: string): Record<string, Json> {
    try {
      const v = JSON.parse(readFileSync(this.#file(agent), 'utf8')) as unknown;
      return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, Json>) : {};
    } catch {
      return {};
    }
  }

  save(agent: string, data: Record<string, Json>): void {
    const file = this.#file(agent);
    writeFileSync(`${file}.tmp`, JSON.stringify(data));
    renameSync(`${file}.tmp`, file);
  }

  remove(agent: string): void {
    rmSync(this.#file(agent), { force: true });
  }
}

/** One agent's keys, cached in memory and written through on every persist. */
export class AgentKv {
  readonly #store: JsonFileStore;
  readonly #agent: string;
  readonly #data: Record<string, Json>;

  constructor(store: JsonFileStore, agent: string, initial?: Record<string, Json>) {
    this.#store = store;
    this.#agent = agent;
    this.#data = initial ? { ...initial } : store.load(agent);
    if (initial) store.save(agent, this.#data);
  }

  get(key: string): Json | undefined {
    return this.#data[key];
  }

  set(key: string, value: Json): void {
    this.#data[key] = value;
    this.#store.save(this.#agent, this.#data);
  }

  all(): Record<string, Json> {
    return { ...this.#data };
  }
}
