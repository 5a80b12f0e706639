// The edge runner in-process over a fake MQTT client and a manual clock: its heartbeats are signed
// with the node secret, and a command obeyed before a restart is refused when replayed after it.
import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { EdgeLink } from '../../../edge-runner/src/link.ts';
import { EdgeRunner, HEARTBEAT_MS } from '../../../edge-runner/src/runner.ts';
import { NonceCache, signMessage, verifyMessage, type NodeCommand } from '../../../server/src/agents/nodes/protocol.ts';
import { ManualClock } from '../../../server/src/core/clock.ts';
import { eventually } from '../../helpers/eventually.ts';
import { makeTempDir } from '../../helpers/tmp.ts';

const SECRET = 'kitchen-secret-0123456789abcdef';
const CODE = 'async function setup(agent) {}\nasync function handleTask(agent, p) { return p; }';

class FakeClient extends EventEmitter {
  readonly published: { topic: string; payload: string }[] = [];
  publish(topic: string, payload: string | Buffer): void {
    this.published.push({ topic, payload: payload.toString() });
  }
  subscribe(): void {}
  unsubscribe(): void {}
  deliver(topic: string, message: object): void {
    this.emit('message', topic, Buffer.from(JSON.stringify(message)));
  }
  sentTo(topic: string): unknown[] {
    return this.published.filter((m) => m.topic === topic).map((m) => JSON.parse(m.payload) as unknown);
  }
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startRunner(dataDir: string, clock: ManualClock) {
  const client = new FakeClient();
  const lines: string[] = [];
  const runner = new EdgeRunner({ name: 'rpi-kitchen', secret: SECRET, dataDir, link: new EdgeLink(client as unknown as MqttClient, 'wactorz'), clock, version: '0.1.0', log: (l) => lines.push(l) });
  await runner.start();
  cleanups.push(() => runner.stop());
  return { client, runner, lines };
}

function command(clock: ManualClock, command: NodeCommand, body: object) {
  return signMessage(SECRET, 'rpi-kitchen', command, body, clock.now());
}

describe('edge runner (in-process)', () => {
  it('signs its heartbeats with the node secret, at start and every 10 s', async () => {
    const dir = makeTempDir('wactorz-runner-');
    cleanups.push(() => dir.cleanup());
    const clock = new ManualClock();
    const { client } = await startRunner(dir.path, clock);
    await clock.advance(HEARTBEAT_MS);
    const beats = client.sentTo('wactorz/nodes/rpi-kitchen/heartbeat');
    expect(beats).toHaveLength(2);
    const nonces = new NonceCache();
    for (const b of beats) {
      expect(verifyMessage(b, { secret: SECRET, node: 'rpi-kitchen', command: 'heartbeat', now: clock.now(), nonces })).toMatchObject({ ok: true, body: { node: 'rpi-kitchen', version: '0.1.0', agents: [] } });
    }
    // Not acceptable as any other kind of message, nor with another secret.
    expect(verifyMessage(beats[0], { secret: SECRET, node: 'rpi-kitchen', command: 'result', now: clock.now(), nonces: new NonceCache() }).ok).toBe(false);
    expect(verifyMessage(beats[0], { secret: 'other', node: 'rpi-kitchen', command: 'heartbeat', now: clock.now(), nonces: new NonceCache() }).ok).toBe(false);
  });

  it('refuses, after a restart, a stop it obeyed before it, and the agent keeps running', async () => {
    const dir = makeTempDir('wactorz-runner-');
    cleanups.push(() => dir.cleanup());
    const clock = new ManualClock();
    const config = { type: 'dynamic', name: 'temp-sensor', code: CODE, poll_interval: 3600 };
    const first = await startRunner(dir.path, clock);
    const results = () => first.client.sentTo('wactorz/nodes/rpi-kitchen/result') as { request_id?: string; ok: boolean }[];
    first.client.deliver('wactorz/nodes/rpi-kitchen/spawn', command(clock, 'spawn', { name: 'temp-sensor', request_id: 's1', config }));
    await eventually(() => results().some((r) => r.request_id === 's1'), 'the first spawn');
    const stop = command(clock, 'stop', { name: 'temp-sensor', request_id: 't1' });
    first.client.deliver('wactorz/nodes/rpi-kitchen/stop', stop);
    await eventually(() => results().some((r) => r.request_id === 't1'), 'the stop');
    first.client.deliver('wactorz/nodes/rpi-kitchen/spawn', command(clock, 'spawn', { name: 'temp-sensor', request_id: 's2', config }));
    await eventually(() => results().some((r) => r.request_id === 's2'), 'the second spawn');
    await first.runner.stop();

    await clock.advance(5_000);
    const second = await startRunner(dir.path, clock);
    expect(second.runner.agentNames()).toEqual(['temp-sensor']);
    second.client.deliver('wactorz/nodes/rpi-kitchen/stop', stop);
    const refusal = () => (second.client.sentTo('wactorz/nodes/rpi-kitchen/result') as { request_id?: string; ok: boolean; error?: string }[]).find((r) => r.request_id === 't1');
    await eventually(() => refusal() !== undefined, 'the refusal of the replay');
    expect(refusal()).toMatchObject({ ok: false, error: 'command refused by node rpi-kitchen: replayed (nonce already used)' });
    expect(second.lines).toContain('edge rpi-kitchen: refused a stop command for temp-sensor: replayed (nonce already used)');
    expect(second.runner.agentNames()).toEqual(['temp-sensor']);
  });

  it('refuses a correctly signed command whose body is not a command of its kind, and runs nothing for it', async () => {
    const dir = makeTempDir('wactorz-runner-');
    cleanups.push(() => dir.cleanup());
    const clock = new ManualClock();
    const { client, runner, lines } = await startRunner(dir.path, clock);
    const results = () => client.sentTo('wactorz/nodes/rpi-kitchen/result') as { request_id?: string; name?: string; ok: boolean; error?: string }[];
    // Signed with the right secret, but no config: parsed, not cast, so it is refused as malformed.
    client.deliver('wactorz/nodes/rpi-kitchen/spawn', command(clock, 'spawn', { name: 'temp-sensor', request_id: 'm1' }));
    await eventually(() => results().some((r) => r.request_id === 'm1'), 'the refusal');
    expect(results().find((r) => r.request_id === 'm1')).toMatchObject({ ok: false, name: 'temp-sensor', error: expect.stringMatching(/^command refused by node rpi-kitchen: malformed spawn .*config/) as string });
    expect(lines.some((l) => l.startsWith('edge rpi-kitchen: refused a spawn command for temp-sensor: malformed spawn'))).toBe(true);
    expect(runner.agentNames()).toEqual([]);
  });
});
