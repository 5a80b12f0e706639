// The WebSocket commands the demo home answers, one handler each, with HA core's semantics
// (websocket_api/commands.py and the config/*_registry modules, 2025.7). A handler answers
// through the session (result, error, event) or throws a CommandError.
import type { Context, HassEntity, HassServiceTarget } from 'home-assistant-js-websocket';
import { REGISTRY_WIRE, REGISTRY_KINDS } from '../schemas.ts';
import { compressState, stateChangedToEntitiesEvent } from './compressed.ts';
import type { ConversationInput } from './conversation.ts';
import type { DemoHomeCore } from './core.ts';
import { CommandError, ERR, eventMessage, pongMessage, resultMessage, type OutgoingFrame } from './protocol.ts';

export interface Command {
  id: number;
  type: string;
  [key: string]: unknown;
}

/** What a handler sees of its session. */
export interface CommandSession {
  readonly home: DemoHomeCore;
  readonly userId: string;
  send(frame: OutgoingFrame): void;
  /** Registers a subscription under the command's id (unsubscribe_events removes it). */
  addSubscription(id: number, unsubscribe: () => void): void;
  removeSubscription(id: number): boolean;
  enableFeatures(features: Record<string, unknown>): void;
}

type Handler = (session: CommandSession, msg: Command) => void;

const required = (msg: Command, key: string, kind: 'string' | 'number' | 'object'): unknown => {
  const value = msg[key];
  if (value === undefined) throw new CommandError(ERR.INVALID_FORMAT, `required key not provided @ data['${key}']`);
  if (kind === 'object' ? typeof value !== 'object' || value === null || Array.isArray(value) : typeof value !== kind) {
    throw new CommandError(ERR.INVALID_FORMAT, `expected ${kind === 'string' ? 'str' : kind === 'number' ? 'int' : 'dict'} for dictionary value @ data['${key}']`);
  }
  return value;
};

const optionalObject = (msg: Command, key: string): Record<string, unknown> | undefined => (msg[key] === undefined ? undefined : (required(msg, key, 'object') as Record<string, unknown>));

const contextFor = (session: CommandSession): Context => session.home.newContext(session.userId);

export const COMMANDS: Record<string, Handler> = {
  ping: (s, msg) => s.send(pongMessage(msg.id)),

  supported_features: (s, msg) => {
    s.enableFeatures(optionalObject(msg, 'features') ?? {});
    s.send(resultMessage(msg.id));
  },

  get_states: (s, msg) => s.send(resultMessage(msg.id, s.home.states.all())),

  get_config: (s, msg) => s.send(resultMessage(msg.id, s.home.config())),

  get_services: (s, msg) => s.send(resultMessage(msg.id, s.home.services.describe())),

  'auth/current_user': (s, msg) =>
    s.send(resultMessage(msg.id, { id: s.userId, name: 'Wactorz', is_owner: false, is_admin: true, credentials: [], mfa_modules: [] })),

  subscribe_events: (s, msg) => {
    const eventType = msg.event_type === undefined ? undefined : (required(msg, 'event_type', 'string') as string);
    s.addSubscription(msg.id, s.home.bus.listen(eventType, (event) => s.send(eventMessage(msg.id, event))));
    s.send(resultMessage(msg.id));
  },

  subscribe_entities: (s, msg) => {
    const ids = msg.entity_ids === undefined ? undefined : new Set(Array.isArray(msg.entity_ids) ? (msg.entity_ids as string[]) : [msg.entity_ids as string]);
    // As in HA: take the states and start listening without yielding in between, so nothing is missed.
    const states = s.home.states.all().filter((st) => !ids || ids.has(st.entity_id));
    s.addSubscription(
      msg.id,
      s.home.bus.listen('state_changed', (event) => {
        const entityId = event.data.entity_id as string;
        if (ids && !ids.has(entityId)) return;
        s.send(eventMessage(msg.id, stateChangedToEntitiesEvent(entityId, event.data.old_state as HassEntity | null, event.data.new_state as HassEntity | null)));
      }),
    );
    s.send(resultMessage(msg.id));
    s.send(eventMessage(msg.id, { a: Object.fromEntries(states.map((st) => [st.entity_id, compressState(st)])) }));
  },

  unsubscribe_events: (s, msg) => {
    const subscription = required(msg, 'subscription', 'number') as number;
    if (!s.removeSubscription(subscription)) throw new CommandError(ERR.NOT_FOUND, 'Subscription not found.');
    s.send(resultMessage(msg.id));
  },

  call_service: (s, msg) => {
    const domain = required(msg, 'domain', 'string') as string;
    const service = required(msg, 'service', 'string') as string;
    const serviceData = optionalObject(msg, 'service_data');
    const target = optionalObject(msg, 'target') as HassServiceTarget | undefined;
    const returnResponse = msg.return_response === true;
    const context = contextFor(s);
    const { response } = s.home.services.call({ domain, service, serviceData, target, returnResponse, context });
    s.send(resultMessage(msg.id, returnResponse ? { context, response } : { context }));
  },

  fire_event: (s, msg) => {
    const eventType = required(msg, 'event_type', 'string') as string;
    const context = contextFor(s);
    s.home.bus.fire(eventType, optionalObject(msg, 'event_data') ?? {}, context);
    s.send(resultMessage(msg.id, { context }));
  },

  'conversation/process': (s, msg) => {
    const text = required(msg, 'text', 'string') as string;
    s.send(resultMessage(msg.id, s.home.converse({ ...(msg as unknown as ConversationInput), text })));
  },
};

for (const kind of REGISTRY_KINDS) {
  COMMANDS[REGISTRY_WIRE[kind].list] = (s, msg) => s.send(resultMessage(msg.id, s.home.registries.list(kind)));
}
