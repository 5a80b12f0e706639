// The user facts main remembers (HA URL and entity names, preferences, people, where devices
// are), each with its source: when, from which conversation and user, and the (masked) words it
// was learnt from, so /memory lets the user judge a fact before forgetting it.
import type { Clock } from '../../../core/clock.ts';
import type { Db } from '../../../store/database.ts';

export const FACT_CATEGORIES = ['home_assistant', 'entity', 'preference', 'person', 'location', 'other'] as const;
export type FactCategory = (typeof FACT_CATEGORIES)[number];

export interface FactSource {
  kind: 'chat' | 'user';
  userId?: string;
  conversationId?: string;
  /** The start of the message the fact came from, secrets masked. */
  excerpt?: string;
  at: number;
}

export interface Fact {
  key: string;
  value: string;
  category: FactCategory;
  source: FactSource;
  createdAt: number;
  updatedAt: number;
}

interface Row {
  key: string;
  value: string;
  category: FactCategory;
  source_kind: 'chat' | 'user';
  source_user: string | null;
  source_conversation: string | null;
  source_excerpt: string | null;
  source_at: number;
  created_at: number;
  updated_at: number;
}

const fromRow = (r: Row): Fact => ({
  key: r.key,
  value: r.value,
  category: r.category,
  source: {
    kind: r.source_kind,
    at: r.source_at,
    ...(r.source_user !== null ? { userId: r.source_user } : {}),
    ...(r.source_conversation !== null ? { conversationId: r.source_conversation } : {}),
    ...(r.source_excerpt !== null ? { excerpt: r.source_excerpt } : {}),
  },
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Most facts a prompt carries; the most recently confirmed win. */
export const MAX_FACTS = 200;

export class FactsStore {
  readonly #db: Db;
  readonly #clock: Clock;

  constructor(db: Db, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
  }

  /** Inserts or updates by key; the creation time survives an update. */
  upsert(fact: { key: string; value: string; category: FactCategory; source: FactSource }): Fact {
    const now = this.#clock.now();
    const s = fact.source;
    this.#db
      .prepare(
        `INSERT INTO user_facts (key, value, category, source_kind, source_user, source_conversation, source_excerpt, source_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, category = excluded.category, source_kind = excluded.source_kind,
           source_user = excluded.source_user, source_conversation = excluded.source_conversation,
           source_excerpt = excluded.source_excerpt, source_at = excluded.source_at, updated_at = excluded.updated_at`,
      )
      .run(fact.key, fact.value, fact.category, s.kind, s.userId ?? null, s.conversationId ?? null, s.excerpt ?? null, s.at, now, now);
    this.#trim();
    return this.get(fact.key)!;
  }

  get(key: string): Fact | undefined {
    const row = this.#db.prepare('SELECT * FROM user_facts WHERE key = ?').get(key) as Row | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** Oldest first: the order they were learnt in. */
  list(): Fact[] {
    return (this.#db.prepare('SELECT * FROM user_facts ORDER BY created_at, rowid').all() as Row[]).map(fromRow);
  }

  forget(key: string): boolean {
    return this.#db.prepare('DELETE FROM user_facts WHERE key = ?').run(key).changes > 0;
  }

  clear(): number {
    return this.#db.prepare('DELETE FROM user_facts').run().changes;
  }

  #trim(): void {
    this.#db.prepare('DELETE FROM user_facts WHERE key NOT IN (SELECT key FROM user_facts ORDER BY updated_at DESC, key LIMIT ?)').run(MAX_FACTS);
  }
}
