// Tasks by name over MQTT, one way for everyone. The sender publishes a TaskEnvelope on
// agents/by-name/{name}/task with a fresh correlation id and a reply topic of its own from the map
// (agents/{id}/replies/{correlation_id} in Wactorz, nodes/{node}/replies/{correlation_id} on an
// edge runner) and waits for one TaskReply there. The receiver answers on the envelope's reply
// topic, and only when it lies under the root: a task must not make us publish on someone else's
// topics. Server (core/commands.ts, agents/main/agents/remote-task.ts) and edge runner (runner.ts,
// edge-host.ts) share this file: their links differ, but both have the Bus's raw half.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.ts';
import { TaskReply, type TaskEnvelope } from './payloads.ts';
import { matchLevels } from './match.ts';
import { TOPICS, isUnderRoot, relativeToRoot, topicFor, type Qos } from './topics.ts';

/** What a task needs of a connection: the Bus and the edge runner's EdgeLink both fit. */
export interface TaskLink {
  readonly root: string;
  publishRaw(topic: string, payload: string | Buffer | object, opts?: { qos?: Qos; retain?: boolean }): void;
  subscribeRaw(filter: string, handler: (topic: string, payload: Buffer) => void, owner?: object): () => void;
}

/** Whose reply topic: an actor in Wactorz (main) or an edge node. */
export type ReplyAddress = { actor: string } | { node: string };

export interface SendTaskOptions {
  link: TaskLink;
  clock: Clock;
  /** The receiving agent's name. */
  to: string;
  payload: unknown;
  /** Who sends it (shown to the agent). */
  from: string;
  replyTo: ReplyAddress;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Agent-to-agent hops so far (the sandbox's loop limit), when an agent sends it. */
  hops?: number | undefined;
  /** Owner of the reply subscription on the link. */
  owner?: object | undefined;
}

/** How a task ended; each caller words the failures for its own audience. */
export type TaskOutcome =
  | { ok: true; data: unknown }
  | { ok: false; code: 'task_failed'; message: string }
  | { ok: false; code: 'aborted' | 'timeout' }
  /** The name cannot be a topic level (`/`, `+`, `#` or empty): nobody could ever answer. */
  | { ok: false; code: 'unaddressable'; message: string };

function replyTopic(root: string, to: ReplyAddress, correlationId: string): string {
  return 'actor' in to
    ? topicFor(root, 'agentTaskReply', { id: to.actor, correlation_id: correlationId })
    : topicFor(root, 'nodeTaskReply', { node: to.node, correlation_id: correlationId });
}

/** Sends one task and waits for its reply, the deadline or the signal, whichever comes first. */
export function sendTask(o: SendTaskOptions): Promise<TaskOutcome> {
  const { link, clock, signal } = o;
  const correlationId = randomBytes(9).toString('base64url');
  let taskTopic: string;
  let repliesOn: string;
  try {
    taskTopic = topicFor(link.root, 'agentTaskByName', { name: o.to });
    repliesOn = replyTopic(link.root, o.replyTo, correlationId);
  } catch (err) {
    return Promise.resolve({ ok: false, code: 'unaddressable', message: err instanceof Error ? err.message : String(err) });
  }
  if (signal?.aborted) return Promise.resolve({ ok: false, code: 'aborted' });
  return new Promise<TaskOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: TaskOutcome) => {
      if (settled) return;
      settled = true;
      timer.cancel();
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const onAbort = () => finish({ ok: false, code: 'aborted' });
    const unsubscribe = link.subscribeRaw(
      repliesOn,
      (_topic, raw) => {
        const reply = parseReply(raw);
        // The reply topic is this request's alone, so a reply without an id is still ours; one
        // carrying another id is not.
        if (!reply || (reply.correlation_id !== undefined && reply.correlation_id !== correlationId)) return;
        finish(reply.status === 'ok' ? { ok: true, data: reply.data } : { ok: false, code: 'task_failed', message: reply.error.message });
      },
      o.owner,
    );
    const timer = clock.setTimeout(() => finish({ ok: false, code: 'timeout' }), o.timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    const envelope: TaskEnvelope = { payload: o.payload, from: o.from, correlation_id: correlationId, reply_topic: repliesOn, ...(o.hops !== undefined ? { hops: o.hops } : {}) };
    link.publishRaw(taskTopic, envelope, { qos: TOPICS.agentTaskByName.qos });
  });
}

function parseReply(raw: Buffer): TaskReply | undefined {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = TaskReply.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Reply areas under the root: `replies/...` for any client, and the agents' and nodes' own reply
 * topics. A task names its reply topic itself (anyone on the broker can send one), so only these
 * are honoured: an answer must never land on a control topic or a process-owned one such as
 * `ha/state_changes/...`, where it would pass for something else.
 */
const REPLY_AREAS = ['replies/#', 'agents/+/replies/#', 'nodes/+/replies/#'].map((f) => f.split('/'));

/** Where to answer a task: its reply topic when it lies in a reply area under the root, else nowhere. */
export function replyTopicOf(root: string, envelope: TaskEnvelope): string | undefined {
  const topic = envelope.reply_topic;
  if (topic === undefined || !isUnderRoot(root, topic)) return undefined;
  const levels = relativeToRoot(root, topic).split('/');
  return REPLY_AREAS.some((area) => matchLevels(area, levels)) ? topic : undefined;
}

/** Publishes the outcome of a task's work on its reply topic: the value, or the failure as task_failed. */
export function answerTask(link: TaskLink, topic: string, correlationId: string | undefined, work: Promise<unknown>): void {
  const send = (reply: TaskReply) => link.publishRaw(topic, reply, { qos: TOPICS.agentTaskReply.qos });
  work.then(
    (data) => send({ status: 'ok', correlation_id: correlationId, data }),
    (err: unknown) => send({ status: 'error', correlation_id: correlationId, error: { code: 'task_failed', message: err instanceof Error ? err.message : String(err) } }),
  );
}
