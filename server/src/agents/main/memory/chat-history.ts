// The transcript each interface shows (the panel's conversation list, GET /api/conversations):
// per user and conversation, the user's words with secrets already masked, main's answers, and
// what happened on the way. Separate from the LLM's own memory, which /clear may wipe.
import type { Clock } from '../../../core/clock.ts';
import type { Db } from '../../../store/database.ts';

export type HistoryRole = 'user' | 'assistant' | 'activity';

export interface HistoryMessage {
  role: HistoryRole;
  text: string;
  agent: string | null;
  at: number;
}

export interface HistoryConversation {
  id: string;
  channel: string;
  title: string;
  agent: string;
  createdAt: number;
  updatedAt: number;
  messageCount: number;
}

const TITLE_CHARS = 60;

export class ChatHistory {
  readonly #db: Db;
  readonly #clock: Clock;

  constructor(db: Db, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
  }

  /** Appends messages of one turn atomically, creating the conversation on its first message. */
  append(userKey: string, conversation: string, channel: string, messages: readonly Omit<HistoryMessage, 'at'>[]): void {
    if (messages.length === 0) return;
    const now = this.#clock.now();
    const firstUser = messages.find((m) => m.role === 'user')?.text ?? messages[0].text;
    const lastAgent = [...messages].reverse().find((m) => m.role === 'assistant')?.agent ?? 'main';
    this.#db.transaction(() => {
      this.#db
        .prepare(
          `INSERT INTO chat_conversations (user_key, id, channel, title, agent, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (user_key, id) DO UPDATE SET agent = excluded.agent, updated_at = excluded.updated_at`,
        )
        .run(userKey, conversation, channel, titleOf(firstUser), lastAgent, now, now);
      let seq = this.#db.prepare('SELECT COALESCE(MAX(seq), 0) FROM chat_messages WHERE user_key = ? AND conversation = ?').pluck().get(userKey, conversation) as number;
      const insert = this.#db.prepare('INSERT INTO chat_messages (user_key, conversation, seq, role, text, agent, at) VALUES (?, ?, ?, ?, ?, ?, ?)');
      for (const m of messages) insert.run(userKey, conversation, ++seq, m.role, m.text, m.agent, now);
    })();
  }

  /** The user's conversations, most recent first. */
  list(userKey: string): HistoryConversation[] {
    const rows = this.#db
      .prepare(
        `SELECT c.id, c.channel, c.title, c.agent, c.created_at AS createdAt, c.updated_at AS updatedAt,
           (SELECT COUNT(*) FROM chat_messages m WHERE m.user_key = c.user_key AND m.conversation = c.id) AS messageCount
         FROM chat_conversations c WHERE c.user_key = ? ORDER BY c.updated_at DESC, c.id`,
      )
      .all(userKey) as HistoryConversation[];
    return rows;
  }

  get(userKey: string, conversation: string): (HistoryConversation & { messages: HistoryMessage[] }) | undefined {
    const head = this.list(userKey).find((c) => c.id === conversation);
    if (!head) return undefined;
    const messages = this.#db
      .prepare('SELECT role, text, agent, at FROM chat_messages WHERE user_key = ? AND conversation = ? ORDER BY seq')
      .all(userKey, conversation) as HistoryMessage[];
    return { ...head, messages };
  }
}

function titleOf(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > TITLE_CHARS ? `${line.slice(0, TITLE_CHARS - 1)}…` : line || 'Conversation';
}
