// A task for an agent that runs on another node: published on agents/by-name/{name}/task with a
// correlation id and main's reply topic (agents/main/replies/{correlation_id}), answered there with
// a TaskReply (bus/task-request.ts, shared with the edge runner). Matched by correlation id, never
// by text, so two identical questions get their own answers.
import type { Bus } from '../../../bus/bus.ts';
import { sendTask } from '../../../bus/task-request.ts';
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

export async function sendRemoteTask(name: string, payload: unknown, options: RemoteTaskOptions): Promise<unknown> {
  const { bus, clock, timeoutMs, signal } = options;
  const outcome = await sendTask({ link: bus, clock, to: name, payload, from: options.from ?? 'main', replyTo: { actor: 'main' }, timeoutMs, signal });
  if (outcome.ok) return outcome.data;
  switch (outcome.code) {
    case 'aborted':
      throw new RemoteTaskError('aborted', `The task for ${name} was cancelled.`);
    case 'timeout':
      throw new RemoteTaskError('timeout', `${name} did not answer within ${Math.round(timeoutMs / 1000)} s (it runs on another node; is that node online?).`);
    case 'task_failed':
      throw new RemoteTaskError('task_failed', outcome.message);
    case 'unaddressable':
      throw new RemoteTaskError('unaddressable', `"${name}" cannot be reached over MQTT: ${outcome.message}`);
  }
}
