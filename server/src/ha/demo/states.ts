// The demo home's state machine, after HA core's StateMachine: setting a state fires
// `state_changed` with old and new state; last_changed moves only when the state string changes,
// last_updated when the state or attributes change; writing identical values only moves
// last_reported and fires `state_reported`, never a `state_changed` (HA 2024.3+).
import { isDeepStrictEqual } from 'node:util';
import type { Context, HassEntity } from 'home-assistant-js-websocket';
import type { Clock } from '../../core/clock.ts';
import type { DemoEventBus } from './event-bus.ts';
import { isoMicros, newContext } from './protocol.ts';

/** A full state as HA serialises it (State.as_dict). */
export type DemoState = HassEntity & { last_reported: string };

export interface SetStateOptions {
  /** Replace the attributes instead of merging into the current ones (HA's own semantics). */
  replaceAttributes?: boolean;
  context?: Context;
}

export class DemoStates {
  readonly #clock: Clock;
  readonly #bus: DemoEventBus;
  readonly #states = new Map<string, DemoState>();
  #lastStampUs = 0;

  constructor(clock: Clock, bus: DemoEventBus) {
    this.#clock = clock;
    this.#bus = bus;
  }

  get(entityId: string): DemoState | undefined {
    return this.#states.get(entityId);
  }

  all(): DemoState[] {
    return [...this.#states.values()];
  }

  has(entityId: string): boolean {
    return this.#states.has(entityId);
  }

  /** Sets a state; returns the state now held. Attributes merge unless replaceAttributes is set. */
  set(entityId: string, state: string, attributes?: Record<string, unknown>, options: SetStateOptions = {}): DemoState {
    if (!/^[a-z0-9_]+\.[a-z0-9_]+$/.test(entityId)) throw new Error(`Invalid entity ID: ${entityId}`);
    if (state.length > 255) throw new Error(`Invalid state with length ${state.length}. State max length is 255 characters.`);
    const now = this.#clock.now();
    const at = this.#stamp(now);
    const old = this.#states.get(entityId);
    const attrs = options.replaceAttributes || !old ? { ...(attributes ?? {}) } : { ...old.attributes, ...(attributes ?? {}) };
    const sameState = old !== undefined && old.state === state;
    if (old && sameState && isDeepStrictEqual(old.attributes, attrs)) {
      const previous = old.last_reported;
      old.last_reported = at;
      this.#bus.fire('state_reported', { entity_id: entityId, old_last_reported: previous, new_state: old }, options.context ?? old.context);
      return old;
    }
    const context = options.context ?? newContext(now);
    const next: DemoState = {
      entity_id: entityId,
      state,
      attributes: attrs,
      last_changed: sameState ? old.last_changed : at,
      last_reported: at,
      last_updated: at,
      context,
    };
    this.#states.set(entityId, next);
    this.#bus.fire('state_changed', { entity_id: entityId, old_state: old ?? null, new_state: next }, context);
    return next;
  }

  /**
   * HA stamps states with microseconds, so two writes never share a last_updated; a millisecond
   * clock can repeat, so writes within one millisecond get consecutive microseconds.
   */
  #stamp(nowMs: number): string {
    this.#lastStampUs = Math.max(nowMs * 1000, this.#lastStampUs + 1);
    return isoMicros(this.#lastStampUs);
  }

  /** Removes an entity's state; fires state_changed with new_state null. */
  remove(entityId: string, context?: Context): boolean {
    const old = this.#states.get(entityId);
    if (!old) return false;
    this.#states.delete(entityId);
    this.#bus.fire('state_changed', { entity_id: entityId, old_state: old, new_state: null }, context ?? newContext(this.#clock.now()));
    return true;
  }
}
