// EdgeNodes over the in-memory bus: liveness comes from signed heartbeats only, and answers are
// believed only when signed by the node they claim to come from.
import { afterEach, describe, expect, it } from 'vitest';
import { EdgeNodes } from '../../../../server/src/agents/nodes/edge-nodes.ts';
import { signMessage } from '../../../../server/src/agents/nodes/protocol.ts';
import { NodeSecretStore } from '../../../../server/src/agents/nodes/secrets.ts';
import { MemoryBus } from '../../../../server/src/bus/memory-bus.ts';
import { ManualClock } from '../../../../server/src/core/clock.ts';
import { openDatabase } from '../../../../server/src/store/database.ts';
import { SqliteSpawnRegistry } from '../../../../server/src/store/spawn-registry.ts';
import { settle } from '../../core/fixtures.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function setup() {
  const clock = new ManualClock();
  const bus = new MemoryBus('wactorz');
  const db = openDatabase({ dataDir: ':memory:' });
  const secrets = new NodeSecretStore(db, () => clock.now());
  const warnings: string[] = [];
  const nodes = new EdgeNodes({ bus, secrets, clock, registry: new SqliteSpawnRegistry(db), ackTimeoutMs: 5_000, logger: { warn: (_o: object, m: string) => void warnings.push(m), info: () => undefined, debug: () => undefined, error: () => undefined } as never });
  nodes.start();
  cleanups.push(() => {
    nodes.stop();
    db.close();
  });
  const secret = secrets.ensure('rpi-kitchen');
  const heartbeat = (s = secret) => bus.inject('wactorz/nodes/rpi-kitchen/heartbeat', JSON.stringify(signMessage(s, 'rpi-kitchen', 'heartbeat', { node: 'rpi-kitchen', agents: [] }, clock.now())));
  return { clock, bus, nodes, secret, heartbeat, warnings };
}

describe('EdgeNodes liveness and answers', () => {
  it('is online only after a heartbeat signed with the node secret, and offline 30 s after the last one', async () => {
    const { nodes, heartbeat, clock, bus } = setup();
    bus.inject('wactorz/nodes/rpi-kitchen/heartbeat', JSON.stringify({ node: 'rpi-kitchen', agents: [], ts: clock.now() }));
    heartbeat('not-the-secret');
    expect(nodes.online('rpi-kitchen')).toBe(false);
    expect(nodes.describe()).toEqual([expect.objectContaining({ name: 'rpi-kitchen', online: false, last_seen: null })]);
    heartbeat();
    expect(nodes.online('rpi-kitchen')).toBe(true);
    await clock.advance(30_000);
    expect(nodes.online('rpi-kitchen')).toBe(false);
  });

  it('tells the user a node with unsigned heartbeats (an old runner) needs a redeploy', async () => {
    const { nodes, bus, clock } = setup();
    bus.inject('wactorz/nodes/rpi-kitchen/heartbeat', JSON.stringify({ node: 'rpi-kitchen', host: 'pi', version: '0.1.0', agents: [], ts: clock.now() }));
    await expect(nodes.list('rpi-kitchen')).rejects.toThrow('node "rpi-kitchen" runs an edge runner from before signed heartbeats, so it is not trusted as online; redeploy it with /deploy rpi-kitchen');
  });

  it('ignores an answer not signed by the node (nor by it as a heartbeat), and a signed result does not count as a heartbeat', async () => {
    const { nodes, heartbeat, bus, clock, secret, warnings } = setup();
    heartbeat();
    const listing = nodes.list('rpi-kitchen');
    const request = bus.sentTo('wactorz/nodes/rpi-kitchen/list')[0] as { request_id: string };
    const answer = { command: 'list', ok: true, request_id: request.request_id, agents: [{ name: 'evil', status: 'running' }] };
    bus.inject('wactorz/nodes/rpi-kitchen/result', JSON.stringify(answer));
    bus.inject('wactorz/nodes/rpi-kitchen/result', JSON.stringify(signMessage('guess', 'rpi-kitchen', 'result', answer, clock.now())));
    bus.inject('wactorz/nodes/rpi-kitchen/result', JSON.stringify(signMessage(secret, 'rpi-kitchen', 'heartbeat', answer, clock.now())));
    await settle();
    expect(warnings).toEqual(['ignored an answer from a node that is not signed with its secret']);
    bus.inject('wactorz/nodes/rpi-kitchen/result', JSON.stringify(signMessage(secret, 'rpi-kitchen', 'result', { ...answer, agents: [] }, clock.now())));
    await expect(listing).resolves.toEqual([]);
    await clock.advance(29_000);
    bus.inject('wactorz/nodes/rpi-kitchen/result', JSON.stringify(signMessage(secret, 'rpi-kitchen', 'result', { command: 'list', ok: true, request_id: 'unrelated' }, clock.now())));
    await clock.advance(1_000);
    expect(nodes.online('rpi-kitchen')).toBe(false);
  });

  it('does not take a correctly signed answer of the wrong shape for the answer: it is dropped, and the request times out', async () => {
    const { nodes, heartbeat, bus, clock, secret, warnings } = setup();
    heartbeat();
    const listing = nodes.list('rpi-kitchen');
    const request = bus.sentTo('wactorz/nodes/rpi-kitchen/list')[0] as { request_id: string };
    // Parsed, not cast: `ok` must be a boolean and `agents` a list of {name, status}.
    bus.inject('wactorz/nodes/rpi-kitchen/result', JSON.stringify(signMessage(secret, 'rpi-kitchen', 'result', { command: 'list', ok: 'yes', request_id: request.request_id, agents: 'evil' }, clock.now())));
    await settle();
    expect(warnings).toEqual(['ignored an answer from a node that is not signed with its secret']);
    await clock.advance(5_000);
    await expect(listing).rejects.toThrow('node "rpi-kitchen" did not answer the list within 5 s');
  });
});
