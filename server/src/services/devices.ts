// DevicesService: Home Assistant's entities from the HA client's state cache, and device control
// through the one-off actuator, the very path of the chat's control_devices (agents/ha/intents.ts
// actuateCalls): every entity and service checked against the live home, HA reachable, all calls or
// none, actuations published. The chat keeps a sensitive request waiting for the owner's "yes" in
// the same conversation; a caller outside a conversation (MCP) has nobody to ask, so a sensitive
// request is refused here before anything runs (DESIGN.md, security model: sensitive actions never
// run on a program's word alone).
import { runOneOff, type HaIntentDeps } from '../agents/ha/intents.ts';
import type { OneOffResult } from '../agents/ha/one-off/one-off-agent.ts';
import type { ActuationOutcome, DeviceCallResult, DevicesService } from '../contract/devices.ts';
import { ServiceError } from '../contract/service-error.ts';

export type DevicesServiceDeps = Pick<HaIntentDeps, 'system' | 'ha' | 'callTimeoutMs'>;

export function createDevicesService(deps: DevicesServiceDeps): DevicesService {
  return {
    async state(entityId) {
      const s = deps.ha.getState(entityId);
      if (!s) return undefined;
      return { entity_id: s.entity_id, state: s.state, attributes: { ...s.attributes }, last_changed: s.last_changed, last_updated: s.last_updated };
    },
    async call(calls, ctx) {
      const who = ctx.identity.displayName ?? ctx.identity.userName ?? ctx.identity.via;
      // No LLM: the calls are already resolved, and the actuator only checks and runs them.
      const result = await runOneOff({ ...deps, llm: undefined }, { text: `service call from ${who}`, calls }, ctx.signal);
      return answer(result);
    },
  };
}

function answer(result: OneOffResult): DeviceCallResult {
  switch (result.status) {
    case 'needs_confirmation':
      throw new ServiceError(
        'forbidden',
        `Nothing was done: ${result.sensitive.join(', ')} ${result.sensitive.length === 1 ? 'is' : 'are'} security-sensitive (locks, alarm panels, garage and door covers) and need a person's confirmation. Ask in the Wactorz panel's chat or through Home Assistant Assist, where the owner can answer "yes".`,
      );
    case 'done':
      return { status: 'done', text: result.text, outcomes: result.outcomes.map(outcome) };
    case 'failed':
      return { status: 'failed', text: result.text, outcomes: (result.outcomes ?? []).map(outcome) };
  }
}

function outcome(o: ActuationOutcome & { code?: string }): ActuationOutcome {
  return { service: o.service, status: o.status, ...(o.entity_id !== undefined ? { entity_id: o.entity_id } : {}), ...(o.error !== undefined ? { error: o.error } : {}) };
}
