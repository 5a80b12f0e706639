// A task for an agent that runs on another node: published on agents/by-name/{name}/task with a
// correlation id and a reply topic under our root, answered there as
// {status:'ok', correlation_id, data} | {status:'error', correlation_id, error}. Matched by
// correlation id, never by text, so two identical questions get their own answers.
import { randomBytes } from 'node:crypto';
import type { Bus } from '../../../bus/bus.ts';
import type { Clock } from '../../../core/clock.ts';

export class RemoteTaskError extends Error {
  override readonly name = 'RemoteTaskError';
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export interface RemoteTaskOptions {
  bus: Bus;
  clock: Clock;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Who sends it (shown to the agent). */
  from?: string;
}

export function sendRemoteTask(name: string, payload: unknown, options: RemoteTaskOptions): Promise<unknown> {
  const { bus, clock, timeoutMs, signal } = options;
  const correlationId = randomBytes(9).toString('base64url');
  const replyTopic = `${bus.root}/agents/main/replies/${correlationId}`;
  return new Promise<unknown>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      timer.cancel();
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => finish(() => reject(new RemoteTaskError('aborted', `The task for ${name} was cancelled.`)));
    const unsubscribe = bus.subscribeRaw(replyTopic, (_topic, raw) => {
      let reply: unknown;
      try {
        reply = JSON.parse(raw.toString('utf8'));
      } catch {
        return;
      }
      if (reply === null || typeof reply !== 'object') return;
      const r = reply as { status?: unknown; correlation_id?: unknown; data?: unknown; error?: { message?: unknown } };
      if (r.correlation_id !== undefined && r.correlation_id !== correlationId) return;
      if (r.status === 'ok') finish(() => resolve(r.data));
      else if (r.status === 'error') finish(() => reject(new RemoteTaskError('task_failed', typeof r.error?.message === 'string' ? r.error.message : `${name} reported an error.`)));
    });
    const timer = clock.setTimeout(
      () => finish(() => reject(new RemoteTaskError('timeout', `${name} did not answer within ${Math.round(timeoutMs / 1000)} s (it runs on another node; is that node online?).`))),
      timeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    bus.publish('agentTaskByName', { name }, { payload, from: options.from ?? 'main', correlation_id: correlationId, reply_topic: replyTopic });
  });
}
