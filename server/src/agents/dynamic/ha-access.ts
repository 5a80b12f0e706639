// agent.ha.*: Home Assistant for agent code, through the one HaClient (no token ever reaches the
// isolate). Reads come from the client's entity cache; service calls are refused for sensitive
// targets unless the user granted them (sensitive.ts), and every call that went through is
// published on agents/{id}/actuations so the user can see what an agent did to the house.
import type { Bus } from '../../bus/bus.ts';
import type { Clock } from '../../core/clock.ts';
import type { HaClient } from '../../ha/client.ts';
import { SdkError } from '../../sandbox/errors.ts';
import type { CameraSnapshot, HaEntityState, HaServiceCall, Json } from '../../sandbox/types.ts';
import type { AgentIdentity } from './agent-topics.ts';
import { toJsonValue } from './payload.ts';
import { sensitiveTargets, ungranted } from '../../ha/sensitive-calls.ts';

export interface HaAccessOptions {
  ha: HaClient | undefined;
  self: AgentIdentity;
  grants: readonly string[];
  bus: Bus | undefined;
  clock: Clock;
}

export class HaAccess {
  readonly #o: HaAccessOptions;

  constructor(options: HaAccessOptions) {
    this.#o = options;
  }

  async getState(entityId: string): Promise<HaEntityState | null> {
    const s = this.#client('agent.ha.getState').getState(entityId);
    if (!s) return null;
    return {
      entity_id: s.entity_id,
      state: s.state,
      attributes: (toJsonValue(s.attributes) ?? {}) as HaEntityState['attributes'],
      last_changed: s.last_changed,
      last_updated: s.last_updated,
    };
  }

  async callService(call: HaServiceCall, signal: AbortSignal): Promise<Json> {
    const ha = this.#client('agent.ha.callService');
    const targets = sensitiveTargets(call, () => ha.states(), (id) => ha.getState(id));
    const refused = ungranted(targets, this.#o.grants);
    if (refused.length > 0) {
      throw new SdkError(
        `agent.ha.callService: ${call.domain}.${call.service} on ${refused.join(', ')} was refused: locks, alarms and garage doors need the user's confirmation. ` +
          `Only the owner can allow it: /agents grant ${this.#o.self.name} ha:sensitive:${refused[0]} (or the panel).`,
      );
    }
    const result = await ha.callService({ domain: call.domain, service: call.service, ...(call.data ? { data: call.data } : {}) }, { signal });
    const entity = call.data?.entity_id;
    this.#o.bus?.publish('agentActuations', { id: this.#o.self.id }, {
      ts: this.#o.clock.now(),
      service: `${call.domain}.${call.service}`,
      ...(typeof entity === 'string' ? { entity_id: entity } : {}),
      agent: this.#o.self.name,
    });
    return { ok: true, response: toJsonValue(result.response) ?? null };
  }

  async cameraSnapshot(entityId: string, signal: AbortSignal): Promise<CameraSnapshot> {
    const snap = await this.#client('agent.ha.cameraSnapshot').cameraSnapshot(entityId, signal);
    return { contentType: snap.contentType, dataBase64: snap.data.toString('base64') };
  }

  #client(method: string): HaClient {
    if (!this.#o.ha) throw new SdkError(`${method}: Home Assistant is not available to agents in this setup`);
    return this.#o.ha;
  }
}
