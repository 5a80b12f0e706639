// The compressed entity format of `subscribe_entities` (HA core: State.as_compressed_state and
// websocket_api/messages.py _state_diff). The init event is {"a": {entity_id: compressed}}; each
// change is {"c": {entity_id: {"+": additions, "-": {"a": [removed attribute keys]}}}}, an added
// entity {"a": {...}}, a removed one {"r": [entity_id]}. home-assistant-js-websocket's entities.ts
// reads exactly these keys.
import { isDeepStrictEqual } from 'node:util';
import type { Context, HassEntity } from 'home-assistant-js-websocket';

export interface CompressedState {
  s: string;
  a: Record<string, unknown>;
  /** Context id alone when parent_id and user_id are null, the whole context otherwise. */
  c: string | Context;
  /** last_changed, seconds since the epoch. */
  lc: number;
  /** last_updated, present only when it differs from last_changed. */
  lu?: number;
}

export interface CompressedDiff {
  '+'?: { s?: string; a?: Record<string, unknown>; c?: string | Partial<Context>; lc?: number; lu?: number };
  '-'?: { a: string[] };
}

export type EntitiesEvent =
  | { a: Record<string, CompressedState> }
  | { c: Record<string, CompressedDiff> }
  | { r: string[] };

/** Float seconds with HA's microseconds (Date.parse keeps only milliseconds). */
const seconds = (iso: string): number => {
  const micro = /\.\d{3}(\d{3})/.exec(iso)?.[1];
  return Date.parse(iso) / 1000 + (micro ? Number(micro) / 1e6 : 0);
};

export function compressState(state: HassEntity): CompressedState {
  const ctx = state.context;
  const out: CompressedState = {
    s: state.state,
    a: state.attributes,
    c: ctx.parent_id === null && ctx.user_id === null ? ctx.id : ctx,
    lc: seconds(state.last_changed),
  };
  if (state.last_updated !== state.last_changed) out.lu = seconds(state.last_updated);
  return out;
}

/** The subscribe_entities event for one state_changed. */
export function stateChangedToEntitiesEvent(entityId: string, oldState: HassEntity | null, newState: HassEntity | null): EntitiesEvent {
  if (newState === null) return { r: [entityId] };
  if (oldState === null) return { a: { [entityId]: compressState(newState) } };
  return { c: { [entityId]: stateDiff(oldState, newState) } };
}

export function stateDiff(oldState: HassEntity, newState: HassEntity): CompressedDiff {
  const add: NonNullable<CompressedDiff['+']> = {};
  const diff: CompressedDiff = { '+': add };
  if (oldState.state !== newState.state) add.s = newState.state;
  if (oldState.last_changed !== newState.last_changed) add.lc = seconds(newState.last_changed);
  else if (oldState.last_updated !== newState.last_updated) add.lu = seconds(newState.last_updated);
  const oc = oldState.context;
  const nc = newState.context;
  let ctx: Partial<Context> | undefined;
  if (oc.parent_id !== nc.parent_id) ctx = { parent_id: nc.parent_id };
  if (oc.user_id !== nc.user_id) ctx = { ...ctx, user_id: nc.user_id };
  if (oc.id !== nc.id) add.c = ctx ? { ...ctx, id: nc.id } : nc.id;
  else if (ctx) add.c = ctx;
  const oa = oldState.attributes;
  const na = newState.attributes;
  for (const [key, value] of Object.entries(na)) {
    if (!isDeepStrictEqual(oa[key], value)) (add.a ??= {})[key] = value;
  }
  const removed = Object.keys(oa).filter((k) => !(k in na));
  if (removed.length > 0) diff['-'] = { a: removed };
  return diff;
}
