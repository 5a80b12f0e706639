// Webhook URLs in their own table, one per name (the latest wins), never in chat history. A name
// is a service (discord, slack, telegram) or one the owner chose with `/webhook <name> <url>`; the
// `service` column holds it. Readers that only show them get the masked form; `url()` is for the
// host code that posts notifications (interfaces/webhooks/), never for a prompt, a log line or an
// API response.
import type { Clock } from '../../../core/clock.ts';
import type { Db } from '../../../store/database.ts';
import { maskWebhook } from './webhook-urls.ts';

export interface WebhookEntry {
  /** The name: a service (discord, slack, telegram) or one the owner chose. */
  service: string;
  masked: string;
  /** "chat" (found in a message) or "command" (/webhook). */
  source: string;
  updatedAt: number;
}

interface Row {
  service: string;
  url: string;
  source: string;
  updated_at: number;
}

export class WebhookStore {
  readonly #db: Db;
  readonly #clock: Clock;

  constructor(db: Db, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
  }

  /** Saves (or replaces) the URL under a name; returns whether it changed anything. */
  save(service: string, url: string, source: 'chat' | 'command'): boolean {
    const now = this.#clock.now();
    const previous = this.#db.prepare('SELECT url FROM webhooks WHERE service = ?').pluck().get(service) as string | undefined;
    if (previous === url) return false;
    this.#db
      .prepare(
        `INSERT INTO webhooks (service, url, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (service) DO UPDATE SET url = excluded.url, source = excluded.source, updated_at = excluded.updated_at`,
      )
      .run(service, url, source, now, now);
    return true;
  }

  list(): WebhookEntry[] {
    const rows = this.#db.prepare('SELECT service, url, source, updated_at FROM webhooks ORDER BY service').all() as Row[];
    return rows.map((r) => ({ service: r.service, masked: maskWebhook(r.url), source: r.source, updatedAt: r.updated_at }));
  }

  /** The saved webhooks' names (what main's prompt may mention). */
  services(): string[] {
    return this.#db.prepare('SELECT service FROM webhooks ORDER BY service').pluck().all() as string[];
  }

  /** The full URL, for the code that posts to it. */
  url(service: string): string | undefined {
    return this.#db.prepare('SELECT url FROM webhooks WHERE service = ?').pluck().get(service) as string | undefined;
  }

  remove(service: string): boolean {
    return this.#db.prepare('DELETE FROM webhooks WHERE service = ?').run(service).changes > 0;
  }
}
