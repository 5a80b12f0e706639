// An answer streamed into Discord messages: the first delta is posted at once, later deltas are
// shown by editing it at most once per interval (Discord allows about five edits per five
// seconds per channel; one a second leaves room for other conversations), and an answer past
// the 2000-character limit continues in further messages, split where splitMessage cuts. The
// final text is put exactly, with the buttons on the last message. Edits are serialized: a
// slow request never lets an older text overwrite a newer one.
import type { Clock, TimerHandle } from '../../core/clock.ts';
import type { Logger } from '../../logger.ts';
import { splitMessage } from '../channels/split.ts';
import type { ButtonRow } from './buttons.ts';

/** Discord's message content limit (characters). */
export const DISCORD_LIMIT = 2000;

/** Where a reply goes: a channel's messages, or an interaction's response and follow-ups. */
export interface ReplySurface {
  post(content: string, components: readonly ButtonRow[]): Promise<string>;
  edit(id: string, content: string, components: readonly ButtonRow[]): Promise<void>;
  remove(id: string): Promise<void>;
}

export interface StreamOptions {
  clock: Clock;
  /** Minimum time between two updates while streaming. */
  intervalMs: number;
  logger: Logger;
  limit?: number;
}

/** Shown for an empty final answer: Discord refuses empty messages. */
const EMPTY = '(no answer)';

export class StreamedReply {
  readonly #surface: ReplySurface;
  readonly #opts: StreamOptions;
  #text = '';
  /** What each posted message shows, by id, in order. */
  readonly #shown: { id: string; content: string; buttons: boolean }[] = [];
  #work: Promise<void> = Promise.resolve();
  #timer: TimerHandle | undefined;
  #lastUpdate = Number.NEGATIVE_INFINITY;
  #finished = false;

  constructor(surface: ReplySurface, opts: StreamOptions) {
    this.#surface = surface;
    this.#opts = opts;
  }

  /** How many messages the answer took so far. */
  get messages(): number {
    return this.#shown.length;
  }

  push(delta: string): void {
    if (this.#finished || delta === '') return;
    this.#text += delta;
    if (this.#timer) return;
    const wait = this.#lastUpdate + this.#opts.intervalMs - this.#opts.clock.now();
    if (wait <= 0) this.#enqueueUpdate();
    else this.#timer = this.#opts.clock.setTimeout(() => this.#enqueueUpdate(), wait);
  }

  /** Puts the exact final text (and buttons on its last message); rejects if Discord refused. */
  async finish(text: string, components: readonly ButtonRow[] = []): Promise<void> {
    this.#finished = true;
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#text = text;
    const done = this.#work.then(() => this.#render(text === '' ? EMPTY : text, components, true));
    this.#work = done.catch(() => undefined);
    await done;
  }

  /** Stops updating (the channel stops); what was shown stays. */
  cancel(): void {
    this.#finished = true;
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #enqueueUpdate(): void {
    this.#timer = undefined;
    this.#lastUpdate = this.#opts.clock.now();
    this.#work = this.#work
      .then(() => (this.#finished ? undefined : this.#render(this.#text, [], false)))
      // A failed intermediate update costs only that update: the final one puts everything.
      .catch((err: unknown) => this.#opts.logger.debug({ err }, 'discord: streaming update failed'));
  }

  async #render(text: string, components: readonly ButtonRow[], final: boolean): Promise<void> {
    const parts = splitMessage(text, this.#opts.limit ?? DISCORD_LIMIT);
    for (let i = 0; i < parts.length; i++) {
      const buttons = final && i === parts.length - 1 ? components : [];
      const shown = this.#shown[i];
      if (!shown) {
        this.#shown.push({ id: await this.#surface.post(parts[i], buttons), content: parts[i], buttons: buttons.length > 0 });
      } else if (shown.content !== parts[i] || shown.buttons || buttons.length > 0) {
        await this.#surface.edit(shown.id, parts[i], buttons);
        shown.content = parts[i];
        shown.buttons = buttons.length > 0;
      }
    }
    // The final split can need fewer messages than a streamed prefix did (a cut moved): drop extras.
    if (final) for (const extra of this.#shown.splice(parts.length)) await this.#surface.remove(extra.id);
  }
}
