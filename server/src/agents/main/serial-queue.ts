// One turn at a time per conversation, any number of conversations at once. A conversation's
// LLM memory is not re-entrant (LlmConversation refuses a second exchange mid-stream), and two
// messages of one conversation must be answered in the order they were sent; two users must
// never wait for each other.

export class SerialQueue {
  #tails = new Map<string, Promise<void>>();

  /** Runs `work` after every earlier task of `key` has settled. */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    // Forget finished keys so the map holds only conversations with work in flight.
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** Keys with work queued or running. */
  get busy(): number {
    return this.#tails.size;
  }
}
