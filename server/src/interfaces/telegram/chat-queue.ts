// One turn at a time per chat, chats side by side: two quick messages in one chat are answered
// in order (the second may depend on the first, and "yes" must reach the question it answers),
// while a slow answer in one chat holds no other. stop() waits for what is running.

export class ChatQueue {
  readonly #tails = new Map<number, Promise<void>>();
  readonly #onError: (err: unknown, chatId: number) => void;

  constructor(onError: (err: unknown, chatId: number) => void) {
    this.#onError = onError;
  }

  run(chatId: number, task: () => Promise<void>): void {
    const previous = this.#tails.get(chatId) ?? Promise.resolve();
    const next = previous.then(task).catch((err: unknown) => this.#onError(err, chatId));
    this.#tails.set(chatId, next);
    void next.finally(() => {
      if (this.#tails.get(chatId) === next) this.#tails.delete(chatId);
    });
  }

  /** Resolves when every queued task has ended. */
  async drain(): Promise<void> {
    while (this.#tails.size > 0) await Promise.allSettled([...this.#tails.values()]);
  }
}
