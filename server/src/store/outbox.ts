// The MQTT outbox: QoS 1 publishes made while the broker is unreachable wait here, durably, and
// are sent in their original order when the connection returns (also after a process restart).
// Bounded: a broker gone for days must not fill the disk; past the cap the oldest entries go,
// and the count of dropped entries is reported.
import type { Db } from './database.ts';

export interface OutboxEntry {
  id: number;
  topic: string;
  payload: Buffer;
  qos: 0 | 1;
  retain: boolean;
  createdAt: number;
}

export interface Outbox {
  add(topic: string, payload: Buffer, qos: 0 | 1, retain: boolean, createdAt: number): void;
  /** The oldest entries, in publish order. */
  peek(limit: number): OutboxEntry[];
  remove(id: number): void;
  count(): number;
  /** Entries discarded because the outbox was full. */
  dropped(): number;
}

interface Row {
  id: number;
  topic: string;
  payload: Buffer;
  qos: number;
  retain: number;
  created_at: number;
}

export class SqliteOutbox implements Outbox {
  readonly maxEntries: number;
  #add;
  #peek;
  #remove;
  #count;
  #trim;
  #size: number;
  #dropped = 0;

  constructor(db: Db, opts: { maxEntries?: number } = {}) {
    this.maxEntries = opts.maxEntries ?? 10_000;
    this.#add = db.prepare('INSERT INTO mqtt_outbox (topic, payload, qos, retain, created_at) VALUES (?, ?, ?, ?, ?)');
    this.#peek = db.prepare<[number], Row>('SELECT id, topic, payload, qos, retain, created_at FROM mqtt_outbox ORDER BY id LIMIT ?');
    this.#remove = db.prepare('DELETE FROM mqtt_outbox WHERE id = ?');
    this.#count = db.prepare<[], number>('SELECT COUNT(*) FROM mqtt_outbox').pluck();
    this.#trim = db.prepare('DELETE FROM mqtt_outbox WHERE id IN (SELECT id FROM mqtt_outbox ORDER BY id LIMIT ?)');
    this.#size = this.#count.get() ?? 0;
  }

  add(topic: string, payload: Buffer, qos: 0 | 1, retain: boolean, createdAt: number): void {
    if (this.#size >= this.maxEntries) {
      const n = this.#size - this.maxEntries + 1;
      this.#size -= this.#trim.run(n).changes;
      this.#dropped += n;
    }
    this.#add.run(topic, payload, qos, retain ? 1 : 0, createdAt);
    this.#size++;
  }

  peek(limit: number): OutboxEntry[] {
    return this.#peek.all(limit).map((r) => ({ id: r.id, topic: r.topic, payload: r.payload, qos: r.qos === 1 ? 1 : 0, retain: r.retain === 1, createdAt: r.created_at }));
  }

  remove(id: number): void {
    this.#size -= this.#remove.run(id).changes;
  }

  count(): number {
    return this.#size;
  }

  dropped(): number {
    return this.#dropped;
  }
}

/** Same contract in memory (a process without a data dir; tests). Not durable, by definition. */
export class MemoryOutbox implements Outbox {
  readonly maxEntries: number;
  #entries: OutboxEntry[] = [];
  #nextId = 1;
  #dropped = 0;

  constructor(opts: { maxEntries?: number } = {}) {
    this.maxEntries = opts.maxEntries ?? 10_000;
  }

  add(topic: string, payload: Buffer, qos: 0 | 1, retain: boolean, createdAt: number): void {
    if (this.#entries.length >= this.maxEntries) {
      this.#entries.shift();
      this.#dropped++;
    }
    this.#entries.push({ id: this.#nextId++, topic, payload, qos, retain, createdAt });
  }

  peek(limit: number): OutboxEntry[] {
    return this.#entries.slice(0, limit);
  }

  remove(id: number): void {
    this.#entries = this.#entries.filter((e) => e.id !== id);
  }

  count(): number {
    return this.#entries.length;
  }

  dropped(): number {
    return this.#dropped;
  }
}
