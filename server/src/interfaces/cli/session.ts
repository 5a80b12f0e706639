// What the REPL talks to: one chat turn at a time, streamed as text pieces and inline notes.

export interface TurnOutput {
  /** A piece of the answer as it streams. */
  text: (piece: string) => void;
  /** Something that happened on the way (an agent spawned, a device switched). */
  note: (line: string) => void;
}

export interface ChatSession {
  /** Where it talks to, for the banner. */
  readonly label: string;
  readonly conversationId: string;
  /** Runs one turn; resolves with the final reply once it is complete. */
  send(text: string, out: TurnOutput): Promise<string>;
  close(): Promise<void>;
}
