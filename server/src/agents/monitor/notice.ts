// What the monitor tells the user, and who carries it there. Main queues notices and prepends
// them to the next answer; the monitor only depends on this sink.

import type { NoticeLevel } from '../../contract/chat.ts';

export type { NoticeLevel };

export interface MonitorNotice {
  level: NoticeLevel;
  /** The agent concerned (its name). */
  agent: string;
  message: string;
  at: number;
}

export interface NoticeSink {
  notify(notice: MonitorNotice): void;
}

export const NOTICE_ICONS: Record<NoticeLevel, string> = { critical: '🔴', warning: '🟡', recovered: '✅' };

/** One line as the user reads it: "🔴 weather-agent: failed to set up (...)". */
export function formatNotice(n: MonitorNotice): string {
  return `${NOTICE_ICONS[n.level]} ${n.agent}: ${n.message}`;
}
