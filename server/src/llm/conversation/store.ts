// Conversation memory in SQLite: one row per message (so a corrupt row costs only itself) and
// the chain of rolling summaries. Loading returns raw values; the caller sanitises them.
import type { Clock } from '../../core/clock.ts';
import type { Db } from '../../store/database.ts';
import type { LlmMessage } from '../messages.ts';

export interface Summary {
  text: string;
  /** How many messages this summary replaced. */
  covered: number;
  at: number;
}

export interface StoredConversation {
  /** Parsed message bodies, in order; `undefined` where a row is not even JSON. */
  raw: unknown[];
  summaries: Summary[];
}

export class ConversationStore {
  readonly #db: Db;
  readonly #clock: Clock;

  constructor(db: Db, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
  }

  now(): number {
    return this.#clock.now();
  }

  load(conversation: string): StoredConversation {
    const bodies = this.#db.prepare('SELECT body FROM llm_messages WHERE conversation = ? ORDER BY seq').pluck().all(conversation) as string[];
    const raw = bodies.map((body) => {
      try {
        return JSON.parse(body) as unknown;
      } catch {
        return undefined;
      }
    });
    const summaries = this.#db.prepare('SELECT text, covered, at FROM llm_summaries WHERE conversation = ? ORDER BY seq').all(conversation) as Summary[];
    return { raw, summaries };
  }

  /** Adds messages after the last one (one exchange), atomically. */
  append(conversation: string, messages: readonly LlmMessage[]): void {
    const at = this.#clock.now();
    const insert = this.#db.prepare('INSERT INTO llm_messages (conversation, seq, body, at) VALUES (?, ?, ?, ?)');
    this.#db.transaction(() => {
      let seq = (this.#db.prepare('SELECT COALESCE(MAX(seq), 0) FROM llm_messages WHERE conversation = ?').pluck().get(conversation) as number) + 1;
      for (const m of messages) insert.run(conversation, seq++, JSON.stringify(m), at);
    })();
  }

  /** Rewrites the whole conversation (after a repair or a summarisation), atomically. */
  replace(conversation: string, messages: readonly LlmMessage[], summaries?: readonly Summary[]): void {
    const at = this.#clock.now();
    this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM llm_messages WHERE conversation = ?').run(conversation);
      const insert = this.#db.prepare('INSERT INTO llm_messages (conversation, seq, body, at) VALUES (?, ?, ?, ?)');
      messages.forEach((m, i) => insert.run(conversation, i + 1, JSON.stringify(m), at));
      if (summaries) {
        this.#db.prepare('DELETE FROM llm_summaries WHERE conversation = ?').run(conversation);
        const add = this.#db.prepare('INSERT INTO llm_summaries (conversation, seq, text, covered, at) VALUES (?, ?, ?, ?, ?)');
        summaries.forEach((s, i) => add.run(conversation, i + 1, s.text, s.covered, s.at));
      }
    })();
  }

  clear(conversation: string): void {
    this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM llm_messages WHERE conversation = ?').run(conversation);
      this.#db.prepare('DELETE FROM llm_summaries WHERE conversation = ?').run(conversation);
    })();
  }
}
