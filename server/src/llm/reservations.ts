// The calls in flight and what each may cost. The ledger only learns a call's cost when it
// ends, so without these, every concurrent call would read the same spent amount and all would
// pass the cap together. In memory on purpose: a reservation lives only as long as its call.

export interface Reservation {
  /** USD held for the call; 0 for a free or unpriced model (it is still counted in flight). */
  readonly usd: number;
  /** Idempotent: the settle path and the `finally` that guards every other path may both call it. */
  release(): void;
}

export class Reservations {
  readonly #held = new Set<Reservation>();
  #sum = 0;

  /** USD held by calls in flight. */
  get usd(): number {
    // Adding and removing floats drifts; with nothing held the true sum is exactly 0.
    return this.#held.size === 0 ? 0 : Math.max(0, this.#sum);
  }

  /** Calls in flight. */
  get count(): number {
    return this.#held.size;
  }

  reserve(usd: number): Reservation {
    if (!Number.isFinite(usd) || usd < 0) throw new RangeError(`A reservation must be 0 or more US dollars, not ${usd}.`);
    const reservation: Reservation = {
      usd,
      release: () => {
        if (!this.#held.delete(reservation)) return;
        this.#sum = this.#held.size === 0 ? 0 : this.#sum - usd;
      },
    };
    this.#held.add(reservation);
    this.#sum += usd;
    return reservation;
  }
}
