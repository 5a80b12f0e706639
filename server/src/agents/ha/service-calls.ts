// Home Assistant service calls as agents declare them (HaAction, from the spawn schemas): what they
// touch, whether HA knows them, and running them in order with a deadline on the injected clock.
// Shared by the ha_actuator, scheduled agents and the one-off actuator, so all three refuse the
// same unknown entities and report failures in the same words.
import type { HaClient, ServiceCall } from '../../ha/client.ts';
import { referencedEntities, unknownReferencesOf } from '../../ha/call-check.ts';
import { HaError, toHaError } from '../../ha/errors.ts';
import type { Clock } from '../../core/clock.ts';
import type { HaAction } from '../../ha/action.ts';

export const DEFAULT_CALL_TIMEOUT_MS = 15_000;

/**
 * A rule's notification to a chat channel instead of an HA notify service:
 * `{"domain":"notify","service":"chat_channel","service_data":{"target":"telegram:<id>","title":"Home","message":"…"}}`
 * (targets `telegram:<id>`, `discord:<id>`, `whatsapp:<number>`; interfaces/channels/; or a saved
 * webhook, `webhook:<name>`; interfaces/webhooks/). HA has no
 * such service: the call goes to the channel the runtime gave (RunOptions.chat).
 */
export const CHAT_CHANNEL_SERVICE = 'chat_channel';

export const WEBHOOK_TARGET_PREFIX = 'webhook:';

/** `webhook:slack` → `slack`; undefined when the target names no saved webhook. */
export function parseWebhookTarget(target: string): string | undefined {
  const t = target.trim();
  if (!t.toLowerCase().startsWith(WEBHOOK_TARGET_PREFIX)) return undefined;
  return t.slice(WEBHOOK_TARGET_PREFIX.length).trim().toLowerCase();
}

export function isWebhookTarget(target: string): boolean {
  return parseWebhookTarget(target) !== undefined;
}

/** Sends a rule's notification to a chat channel target (the runtime's ChannelRegistry). */
export type ChatNotify = (target: string, title: string | undefined, message: string, signal?: AbortSignal) => Promise<void>;

/** The chat target of a chat-channel notification (maybe ''), or undefined for an HA service call. */
export function chatTargetOf(action: Pick<HaAction, 'domain' | 'service' | 'service_data'>): string | undefined {
  if (action.domain !== 'notify' || action.service !== CHAT_CHANNEL_SERVICE) return undefined;
  const target = action.service_data.target;
  return typeof target === 'string' ? target.trim() : '';
}

export function serviceName(action: Pick<HaAction, 'domain' | 'service'>): string {
  return `${action.domain}.${action.service}`;
}

/** Entity ids an action names, in its target and in service_data (HA accepts both). */
export function entitiesOf(action: HaAction): string[] {
  return [...new Set(referencedEntities(toServiceCall(action)))];
}

export function toServiceCall(action: HaAction): ServiceCall {
  const call: ServiceCall = { domain: action.domain, service: action.service };
  if (Object.keys(action.service_data).length > 0) call.data = { ...action.service_data };
  const t = action.target;
  if (t && (t.entity_id?.length || t.area_id?.length || t.device_id?.length)) {
    call.target = {
      ...(t.entity_id?.length ? { entity_id: t.entity_id } : {}),
      ...(t.area_id?.length ? { area_id: t.area_id } : {}),
      ...(t.device_id?.length ? { device_id: t.device_id } : {}),
    };
  }
  return call;
}

/**
 * What HA would refuse: services and entities it does not have (ha/call-check.ts, the same check
 * HaClient.callService makes). Empty when everything exists, or when HA's catalogue is not loaded
 * (not connected yet): then nothing can be said either way.
 */
export function unknownReferences(ha: HaClient, actions: readonly HaAction[]): string[] {
  const problems: string[] = [];
  for (const action of actions) {
    const chat = chatTargetOf(action);
    if (chat !== undefined) {
      if (chat === '' || typeof action.service_data.message !== 'string') problems.push(`notify.${CHAT_CHANNEL_SERVICE} needs service_data.target (telegram:<id>, discord:<id>, whatsapp:<number> or webhook:<name>) and service_data.message`);
      continue;
    }
    const unknown = unknownReferencesOf(ha, toServiceCall(action));
    if (unknown.service) problems.push(`Home Assistant has no service ${serviceName(action)}${unknown.service.offered.length ? ` (${action.domain} offers ${unknown.service.offered.join(', ')})` : ''}`);
    for (const id of unknown.entities) problems.push(`Home Assistant has no entity ${id}`);
  }
  return [...new Set(problems)];
}

export interface ActionOutcome {
  service: string;
  /** The entities named, comma-separated (what actuation events carry). */
  entity_id?: string;
  status: 'ok' | 'error' | 'not_run';
  error?: string;
  code?: string;
}

export interface RunOptions {
  clock: Clock;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Where chat-channel notifications go; absent, they fail with a reason. */
  chat?: ChatNotify | undefined;
}

/**
 * Calls the actions in order. Like an HA automation, the first failing step stops the run: the
 * steps after it are reported `not_run` instead of acting on a house in an unexpected state.
 */
export async function runActions(ha: HaClient, actions: readonly HaAction[], opts: RunOptions): Promise<ActionOutcome[]> {
  const outcomes: ActionOutcome[] = [];
  let failed = false;
  for (const action of actions) {
    const entities = entitiesOf(action);
    const base = { service: serviceName(action), ...(entities.length ? { entity_id: entities.join(',') } : {}) };
    if (failed) {
      outcomes.push({ ...base, status: 'not_run' });
      continue;
    }
    const chat = chatTargetOf(action);
    if (chat !== undefined) {
      const outcome = await notifyChat(chat, action, opts);
      outcomes.push({ ...base, ...(chat ? { entity_id: chat } : {}), ...outcome });
      failed = outcome.status === 'error';
      continue;
    }
    try {
      await callWithDeadline(ha, toServiceCall(action), opts);
      outcomes.push({ ...base, status: 'ok' });
    } catch (err) {
      const e = toHaError(err, base.service);
      outcomes.push({ ...base, status: 'error', error: e.message, code: e.code });
      failed = true;
    }
  }
  return outcomes;
}

async function notifyChat(target: string, action: HaAction, opts: RunOptions): Promise<Pick<ActionOutcome, 'status' | 'error' | 'code'>> {
  const { title, message } = action.service_data;
  if (!opts.chat) return { status: 'error', error: 'Chat channels are not available here', code: 'chat_channel' };
  try {
    await opts.chat(target, typeof title === 'string' ? title : undefined, typeof message === 'string' ? message : '', opts.signal);
    return { status: 'ok' };
  } catch (err) {
    return { status: 'error', error: err instanceof Error ? err.message : String(err), code: 'chat_channel' };
  }
}

async function callWithDeadline(ha: HaClient, call: ServiceCall, { clock, signal, timeoutMs = DEFAULT_CALL_TIMEOUT_MS }: RunOptions): Promise<void> {
  const deadline = new AbortController();
  const timer = clock.setTimeout(() => deadline.abort(new HaError('aborted', `${call.domain}.${call.service}: Home Assistant did not answer within ${timeoutMs / 1000} s`)), timeoutMs);
  try {
    await ha.callService(call, { signal: signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal });
  } catch (err) {
    // The deadline's own reason says more than the generic "aborted" the client reports.
    if (deadline.signal.aborted && deadline.signal.reason instanceof HaError) throw deadline.signal.reason;
    throw err;
  } finally {
    timer.cancel();
  }
}

/** Why HA cannot be acted on right now, or undefined when it is connected. */
export function unreachableReason(ha: HaClient): string | undefined {
  const state = ha.connectionState();
  if (state === 'connected') return undefined;
  const error = ha.health().error;
  return `Home Assistant is ${state}${error ? ` (${error})` : ''}`;
}
