// Between the monitor's findings and the user: infrastructure agents are left out, the same
// problem is not repeated within the cooldown, and "recovered" is only said about an agent the
// user was told had a problem.
import { isInfrastructure } from './infrastructure.ts';
import type { MonitorNotice, NoticeLevel, NoticeSink } from './notice.ts';

export class Notifier {
  readonly #sink: NoticeSink;
  readonly #cooldownMs: number;
  readonly #lastSent = new Map<string, number>();
  readonly #troubled = new Set<string>();
  /** Every notice that reached the user, for status reports and tests. */
  readonly sent: MonitorNotice[] = [];

  constructor(sink: NoticeSink, cooldownMs: number) {
    this.#sink = sink;
    this.#cooldownMs = cooldownMs;
  }

  /**
   * Tells the user, unless it is about infrastructure or repeats `topic` within the cooldown.
   * `topic` groups repeats ("silent", "error:<message>"...). Returns whether it was sent.
   */
  notify(n: { level: NoticeLevel; agent: string; message: string; at: number; topic: string; isProtected?: boolean }): boolean {
    if (isInfrastructure(n.agent, n.isProtected)) return false;
    if (n.level === 'recovered') {
      if (!this.#troubled.delete(n.agent)) return false;
      for (const key of [...this.#lastSent.keys()]) if (key.startsWith(`${n.agent}\u0000`)) this.#lastSent.delete(key);
    } else {
      const key = `${n.agent}\u0000${n.topic}`;
      const last = this.#lastSent.get(key);
      if (last !== undefined && n.at - last < this.#cooldownMs) return false;
      this.#lastSent.set(key, n.at);
      this.#troubled.add(n.agent);
    }
    const notice: MonitorNotice = { level: n.level, agent: n.agent, message: n.message, at: n.at };
    this.sent.push(notice);
    if (this.sent.length > 100) this.sent.shift();
    this.#sink.notify(notice);
    return true;
  }

  isTroubled(agent: string): boolean {
    return this.#troubled.has(agent);
  }

  forget(agent: string): void {
    this.#troubled.delete(agent);
    for (const key of [...this.#lastSent.keys()]) if (key.startsWith(`${agent}\u0000`)) this.#lastSent.delete(key);
  }
}
