// Monitor notices wait here until the next answer, which starts with them (seed §6, layer 3).
// Bounded: a storm of failures while nobody chats must not grow memory without end; the oldest
// go first and the answer says how many were dropped.
import { formatNotice, type MonitorNotice, type NoticeSink } from '../monitor/notice.ts';

export const MAX_QUEUED_NOTICES = 20;

export class NotificationQueue implements NoticeSink {
  #queue: MonitorNotice[] = [];
  #dropped = 0;
  #listeners = new Set<(n: MonitorNotice) => void>();

  notify(notice: MonitorNotice): void {
    this.#queue.push(notice);
    if (this.#queue.length > MAX_QUEUED_NOTICES) {
      this.#queue.shift();
      this.#dropped++;
    }
    for (const l of this.#listeners) {
      try {
        l(notice);
      } catch {
        // A listener (the panel's live feed) must never lose the notice for the chat.
      }
    }
  }

  /** Every notice as it arrives (e.g. for a live notification feed); the queue is unaffected. */
  onNotice(listener: (n: MonitorNotice) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  get size(): number {
    return this.#queue.length;
  }

  /** Takes every queued notice (oldest first) and the count of those dropped meanwhile. */
  drain(): { notices: MonitorNotice[]; dropped: number } {
    const out = { notices: this.#queue, dropped: this.#dropped };
    this.#queue = [];
    this.#dropped = 0;
    return out;
  }
}

/** The block prepended to an answer, or '' when there is nothing to tell. */
export function noticeBlock(notices: readonly MonitorNotice[], dropped: number): string {
  if (notices.length === 0 && dropped === 0) return '';
  const lines = notices.map(formatNotice);
  if (dropped > 0) lines.unshift(`🟡 ${dropped} older notification${dropped === 1 ? '' : 's'} dropped`);
  return `${lines.join('\n')}\n\n`;
}
