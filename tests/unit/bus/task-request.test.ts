// Tasks by name, as main and the edge runner both send and answer them (bus/task-request.ts): the
// reply topics come from the topic map, a reply is matched by its correlation id and parsed as a
// TaskReply, and a task ends by its reply, its deadline or its signal.
import { describe, expect, it } from 'vitest';
import type { TaskEnvelope } from '../../../server/src/bus/payloads.ts';
import { MemoryBus } from '../../../server/src/bus/memory-bus.ts';
import { answerTask, replyTopicOf, sendTask, type TaskOutcome } from '../../../server/src/bus/task-request.ts';
import { parseTopic } from '../../../server/src/bus/topics.ts';
import { ManualClock } from '../../../server/src/core/clock.ts';
import { settle } from '../core/fixtures.ts';

function world() {
  const bus = new MemoryBus('wactorz');
  const clock = new ManualClock();
  const tasks: TaskEnvelope[] = [];
  bus.subscribe('agentTaskByName', { name: 'kitchen-cam' }, (env) => void tasks.push(env));
  return { bus, clock, tasks };
}

describe('task request/reply', () => {
  it('sends on agents/by-name/{name}/task with a reply topic of the map and resolves with the answer sent there', async () => {
    const { bus, clock, tasks } = world();
    const outcome = sendTask({ link: bus, clock, to: 'kitchen-cam', payload: { q: 'what do you see?' }, from: 'main', replyTo: { actor: 'main' }, timeoutMs: 5_000 });
    await settle();
    const env = tasks[0];
    expect(env).toMatchObject({ payload: { q: 'what do you see?' }, from: 'main' });
    expect(parseTopic('wactorz', 'agentTaskReply', env?.reply_topic ?? '')).toEqual({ id: 'main', correlation_id: env?.correlation_id });

    answerTask(bus, replyTopicOf(bus.root, env)!, env?.correlation_id, Promise.resolve({ seen: 'a cat' }));
    expect(await outcome).toEqual({ ok: true, data: { seen: 'a cat' } });
  });

  it('an edge node waits on nodes/{node}/replies/{id}, and a failed task comes back as task_failed with its message', async () => {
    const { bus, clock, tasks } = world();
    const outcome = sendTask({ link: bus, clock, to: 'kitchen-cam', payload: null, from: 'temp-sensor', replyTo: { node: 'rpi-kitchen' }, timeoutMs: 5_000, hops: 2 });
    await settle();
    const env = tasks[0];
    expect(env.hops).toBe(2);
    expect(parseTopic('wactorz', 'nodeTaskReply', env.reply_topic ?? '')).toEqual({ node: 'rpi-kitchen', correlation_id: env.correlation_id });
    answerTask(bus, env.reply_topic!, env.correlation_id, Promise.reject(new Error('the camera is off')));
    expect(await outcome).toEqual({ ok: false, code: 'task_failed', message: 'the camera is off' });
  });

  it('ignores replies for another request and replies that are not TaskReplies', async () => {
    const { bus, clock, tasks } = world();
    let settled: TaskOutcome | undefined;
    void sendTask({ link: bus, clock, to: 'kitchen-cam', payload: 1, from: 'main', replyTo: { actor: 'main' }, timeoutMs: 5_000 }).then((o) => (settled = o));
    await settle();
    const topic = tasks[0].reply_topic!;
    bus.inject(topic, JSON.stringify({ status: 'ok', correlation_id: 'someone-else', data: 'not yours' }));
    bus.inject(topic, JSON.stringify({ status: 'done', correlation_id: tasks[0].correlation_id, data: 'no such status' }));
    bus.inject(topic, 'not JSON');
    await settle();
    expect(settled).toBeUndefined();
    // The reply topic is this request's alone: an answer that names no correlation id is still its answer.
    bus.inject(topic, JSON.stringify({ status: 'ok', data: 'yours' }));
    await settle();
    expect(settled).toEqual({ ok: true, data: 'yours' });
  });

  it('ends at the deadline or when aborted, and leaves no subscription behind', async () => {
    const { bus, clock } = world();
    const late = sendTask({ link: bus, clock, to: 'kitchen-cam', payload: 1, from: 'main', replyTo: { actor: 'main' }, timeoutMs: 5_000 });
    const stop = new AbortController();
    const cancelled = sendTask({ link: bus, clock, to: 'kitchen-cam', payload: 2, from: 'main', replyTo: { actor: 'main' }, timeoutMs: 5_000, signal: stop.signal });
    stop.abort();
    expect(await cancelled).toEqual({ ok: false, code: 'aborted' });
    await clock.advance(5_000);
    expect(await late).toEqual({ ok: false, code: 'timeout' });
    expect(bus.stats().subscriptions).toBe(1);
  });

  it('refuses at once a name that cannot be a topic level, and answers only under the root', async () => {
    const { bus, clock } = world();
    expect(await sendTask({ link: bus, clock, to: 'a/b', payload: 1, from: 'main', replyTo: { actor: 'main' }, timeoutMs: 5_000 })).toMatchObject({ ok: false, code: 'unaddressable' });
    expect(bus.sent).toEqual([]);
    expect(replyTopicOf('wactorz', { payload: 1, reply_topic: 'zigbee2mqtt/lamp/set' })).toBeUndefined();
    expect(replyTopicOf('wactorz', { payload: 1, reply_topic: 'wactorz/replies/x' })).toBe('wactorz/replies/x');
  });

  it('answers only on reply topics: never on a control topic or a process-owned one a sender names', () => {
    for (const topic of ['wactorz/agents/main/replies/c1', 'wactorz/nodes/rpi/replies/c2', 'wactorz/replies/outsider/1']) {
      expect(replyTopicOf('wactorz', { payload: 1, reply_topic: topic }), topic).toBe(topic);
    }
    for (const topic of ['wactorz/ha/state_changes/lock/lock.front_door', 'wactorz/agents/x/commands', 'wactorz/nodes/rpi/stop', 'wactorz/custom/triggers/door', 'wactorz/agents/by-name/main/task']) {
      expect(replyTopicOf('wactorz', { payload: 1, reply_topic: topic }), topic).toBeUndefined();
    }
  });
});
