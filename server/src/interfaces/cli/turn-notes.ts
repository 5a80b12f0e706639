// The lines a chat turn's events get in the terminal besides the answer's own text, the same for
// the in-process and the remote session: what main did on the way (· done, ! failed) and
// proposals. Most of what main does is also written into the answer (an agent's result, "✅ x
// spawned", "⚠️ ..."), so a line is held until the turn ends and printed only if the answer does
// not already carry its text: nothing reads twice.
import type { ChatEvent } from '../../contract/chat.ts';

interface Note {
  line: string;
  /** The text the answer would carry if it repeats this note. */
  text: string;
}

export function noteOf(e: ChatEvent): Note | undefined {
  switch (e.type) {
    case 'spawn':
    case 'delete':
      return { line: `${e.ok ? '·' : '!'} ${e.text}`, text: e.text };
    case 'delegate':
      return { line: `${e.ok ? '·' : '!'} ${e.agent}: ${e.text}`, text: e.text };
    case 'tool':
      return e.ok ? undefined : { line: `! ${e.name}: ${e.text}`, text: e.text };
    case 'proposal':
      return { line: `· proposal ${e.plan.id}: ${e.plan.title} (/plans show ${e.plan.id})`, text: '' };
    case 'error':
      return { line: `! ${e.message}`, text: '' };
    case 'start':
    case 'delta':
    case 'notification':
    case 'done':
      return undefined;
  }
}

/** Collects a turn's notes; `after(reply)` gives the lines the answer does not already say. */
export class TurnNotes {
  #notes: Note[] = [];

  add(e: ChatEvent): void {
    const note = noteOf(e);
    if (note) this.#notes.push(note);
  }

  after(reply: string): string[] {
    const lines = this.#notes.filter((n) => n.text.trim() === '' || !reply.includes(n.text.trim())).map((n) => n.line);
    this.#notes = [];
    return lines;
  }
}
