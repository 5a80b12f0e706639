// Home Assistant's entities as the server's state cache holds them, and the outcome of a device
// control request made outside the chat (the MCP server's ha_call_service). The calls themselves
// are HaAction (ha/action.ts), the shape rules and the one-off actuator already use.
import { z } from 'zod';
import type { HaAction } from '../ha/action.ts';
import { IsoTime } from './common.ts';
import type { RequestContext } from './services.ts';

export const EntityState = z.object({
  entity_id: z.string(),
  state: z.string(),
  attributes: z.record(z.string(), z.unknown()),
  last_changed: IsoTime,
  last_updated: IsoTime,
});
export type EntityState = z.infer<typeof EntityState>;

export const ActuationOutcome = z.object({
  service: z.string(),
  entity_id: z.string().optional(),
  status: z.enum(['ok', 'error', 'not_run']),
  error: z.string().optional(),
});
export type ActuationOutcome = z.infer<typeof ActuationOutcome>;

/** `failed`: nothing ran (an unknown entity or service, HA unreachable) or HA refused a call. */
export const DeviceCallResult = z.object({
  status: z.enum(['done', 'failed']),
  text: z.string(),
  outcomes: z.array(ActuationOutcome),
});
export type DeviceCallResult = z.infer<typeof DeviceCallResult>;

/** Home Assistant's entities and device control, for callers outside a chat turn (MCP). */
export interface DevicesService {
  /** One entity as the HA client's state cache holds it; undefined: no such entity (or HA not loaded yet). */
  state(entityId: string): Promise<EntityState | undefined>;
  /**
   * Runs the calls now through the one-off actuator, the path and checks of the chat's device
   * control (every entity and service known, HA reachable, all or nothing). A security-sensitive
   * call (locks, alarm panels, garage/door/gate covers) needs a person's "yes", which only a
   * conversation can ask for: it throws ServiceError('forbidden') and nothing runs.
   */
  call(calls: HaAction[], ctx: RequestContext): Promise<DeviceCallResult>;
}
