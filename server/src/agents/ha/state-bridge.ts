// home-assistant-state-bridge: every state change of Home Assistant, as a bus topic. The trigger
// source of HA-based rules: ha/state_changes/{domain}/{entity_id} per entity (default), or one flat
// ha/state_changes topic; both match the `ha/state_changes/#` subscription agents use. The topics
// are process-owned (bus/topics.ts PROCESS_OWNED_TOPICS): subscribers in this process get them
// in-process, and the broker only gets a mirror for others, since anyone on it could forge them.
// Telemetry, QoS 0: a mirror published while the broker is away is dropped.
//
// It follows the HaClient's entity cache (subscribe_entities) rather than a second
// `state_changed` subscription: no extra traffic from HA, and a rule's conditions, which read the
// same cache, already see the new state when its trigger arrives. After a reconnect the cache's
// resync reports what changed meanwhile, so those changes are bridged too.
import type { HassEntity } from 'home-assistant-js-websocket';
import { Actor } from '../../core/actor.ts';
import { event, type Message } from '../../core/messages.ts';
import type { EntityChange, HaClient } from '../../ha/client.ts';

export const STATE_BRIDGE_NAME = 'home-assistant-state-bridge';
const CHANGE_TOPIC = '$ha/state_changed';

/** What the bridge publishes (add-on options ha_bridge_domains, ha_bridge_per_entity_topics). */
export interface StateBridgeScope {
  /** Domains to bridge; empty or absent: all of them. */
  domains?: readonly string[];
  /** One topic per entity (default) or everything on ha/state_changes. */
  perEntity?: boolean;
}

export interface StateBridgeOptions extends StateBridgeScope {
  ha: HaClient;
  name?: string;
}

/**
 * Why nothing will arrive on `ha/state_changes/<domain>/...` with this scope (undefined: it may).
 * Rules trigger on these topics only, so the planner refuses a rule that listens where the bridge
 * does not publish instead of approving one that never fires.
 */
export function bridgeGap(scope: StateBridgeScope | undefined, filter: string): string | undefined {
  const [first, second, domain] = filter.split('/');
  if (!scope || first !== 'ha' || second !== 'state_changes' || domain === undefined || domain === '#') return undefined;
  if (scope.perEntity === false) return 'the state bridge publishes every change on the one topic ha/state_changes (the add-on option ha_bridge_per_entity_topics is off); turn it on for rules triggered by Home Assistant states';
  const domains = scope.domains ?? [];
  if (domains.length > 0 && domain !== '+' && !domains.includes(domain)) return `the state bridge does not publish the ${domain} domain (the add-on option ha_bridge_domains lists only ${domains.join(', ')}); add ${domain} there for rules triggered by it`;
  return undefined;
}

export type StateChangePayload = {
  entity_id: string;
  domain: string;
  new_state: HassEntity | null;
  old_state: HassEntity | null;
  context: HassEntity['context'] | null;
  /** When HA made the change (ISO 8601, the new state's last_updated). */
  timestamp: string;
};

export class HaStateBridge extends Actor {
  #ha: HaClient;
  #domains: ReadonlySet<string> | undefined;
  #perEntity: boolean;
  #off: (() => void) | undefined;
  #published = 0;
  #skipped = 0;

  constructor(opts: StateBridgeOptions) {
    super({ name: opts.name ?? STATE_BRIDGE_NAME, kind: 'ha_state_bridge', protected: true });
    this.#ha = opts.ha;
    this.#domains = opts.domains && opts.domains.length > 0 ? new Set(opts.domains) : undefined;
    this.#perEntity = opts.perEntity ?? true;
  }

  protected override onStart(): void {
    if (!this.bus) throw new Error(`${this.name}: there is no MQTT bus to bridge Home Assistant to`);
    // Through the mailbox: a paused bridge stops publishing, and ordering is the cache's.
    this.#off = this.#ha.onStateChange((change) => void this.tell(event(CHANGE_TOPIC, change)));
  }

  protected override onStop(): void {
    this.#off?.();
    this.#off = undefined;
  }

  protected handle(msg: Message): unknown {
    switch (msg.type) {
      case 'event':
        if (msg.topic === CHANGE_TOPIC) this.#bridge(msg.payload as EntityChange);
        return undefined;
      case 'command':
        return msg.command === 'status' ? this.#status() : undefined;
      case 'task':
        return this.#task(msg.payload);
      case 'result':
      case 'error':
      case 'heartbeat':
        return undefined;
    }
  }

  #bridge(change: EntityChange): void {
    const domain = change.entityId.slice(0, change.entityId.indexOf('.'));
    if (this.#domains && !this.#domains.has(domain)) {
      this.#skipped++;
      return;
    }
    const { newState, oldState } = change;
    const payload: StateChangePayload = {
      entity_id: change.entityId,
      domain,
      new_state: newState,
      old_state: oldState,
      context: (newState ?? oldState)?.context ?? null,
      timestamp: newState?.last_updated ?? new Date(this.clock.now()).toISOString(),
    };
    this.#published++;
    if (this.#perEntity) this.publish('haStateChange', { domain, entity_id: change.entityId }, payload);
    else this.publish('haStateChanges', {}, payload);
  }

  /**
   * `{action: "republish", entity_ids}` publishes the current state of those entities (old_state
   * null), so a rule spawned just now can evaluate the present instead of waiting for a change.
   */
  #task(payload: unknown): unknown {
    if (payload === 'status' || (isObject(payload) && payload.action === 'status')) return this.#status();
    if (!isObject(payload) || payload.action !== 'republish' || !Array.isArray(payload.entity_ids)) return undefined;
    let count = 0;
    for (const id of payload.entity_ids) {
      const state = typeof id === 'string' ? this.#ha.getState(id) : undefined;
      if (!state) continue;
      this.#bridge({ entityId: state.entity_id, newState: state, oldState: null });
      count++;
    }
    return { republished: count };
  }

  #status() {
    return {
      published: this.#published,
      skipped: this.#skipped,
      per_entity: this.#perEntity,
      domains: this.#domains ? [...this.#domains] : 'all',
      ha: this.#ha.connectionState(),
    };
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
