import { describe, expect, it } from 'vitest';
import { NodeHeartbeats, OFFLINE_AFTER_MS } from '../../../../server/src/agents/nodes/heartbeats.ts';
import { signMessage } from '../../../../server/src/agents/nodes/protocol.ts';
import { ManualClock } from '../../../../server/src/core/clock.ts';

const SECRET = 'kitchen-secret-0123456789abcdef';

function setup() {
  const clock = new ManualClock();
  const lines: { obj: Record<string, unknown>; msg: string }[] = [];
  const deployed = new Map([['rpi-kitchen', { secret: SECRET, host: '192.168.1.20', supervision: 'cron' as const }]]);
  const beats = new NodeHeartbeats({
    clock,
    secrets: { secretOf: (n) => deployed.get(n)?.secret, list: () => [...deployed].map(([name, d]) => ({ name, host: d.host, supervision: d.supervision, undeployedAt: null })) },
    logger: { warn: (obj, msg) => lines.push({ obj: obj as Record<string, unknown>, msg }) },
  });
  const beat = (o: { node?: string; secret?: string; ts?: number; agents?: string[] } = {}) =>
    Buffer.from(JSON.stringify(signMessage(o.secret ?? SECRET, o.node ?? 'rpi-kitchen', 'heartbeat', { node: o.node ?? 'rpi-kitchen', host: 'kitchen-pi', version: '0.1.0', agents: o.agents ?? ['temp-sensor'] }, o.ts ?? clock.now())));
  return { clock, beats, beat, lines, deployed };
}

describe('node heartbeats', () => {
  it('believes a fresh heartbeat signed by a deployed node, and lists the node with what it said', () => {
    const { beats, beat, clock } = setup();
    expect(beats.receive('rpi-kitchen', beat())).toBe(true);
    expect(beats.online('rpi-kitchen')).toBe(true);
    expect(beats.describe()).toEqual([{ name: 'rpi-kitchen', online: true, last_seen: new Date(clock.now()).toISOString(), host: 'kitchen-pi', version: '0.1.0', agents: ['temp-sensor'], supervision: 'cron', undeployed_at: null }]);
  });

  it('lists a deployed node that sent nothing verified as offline, with its deploy host', () => {
    const { beats } = setup();
    expect(beats.describe()).toEqual([{ name: 'rpi-kitchen', online: false, last_seen: null, host: '192.168.1.20', version: null, agents: [], supervision: 'cron', undeployed_at: null }]);
  });

  it('drops a heartbeat for a node that was never deployed, signed or not: it never appears', () => {
    const { beats, beat } = setup();
    expect(beats.receive('rpi-fake', beat({ node: 'rpi-fake', secret: 'attacker-made-this-up' }))).toBe(false);
    expect(beats.receive('rpi-fake', Buffer.from(JSON.stringify({ node: 'rpi-fake', agents: ['x'], ts: 1 })))).toBe(false);
    expect(beats.online('rpi-fake')).toBe(false);
    expect(beats.describe().map((n) => n.name)).toEqual(['rpi-kitchen']);
  });

  it('a forged, stale, replayed or other-node heartbeat does not refresh a deployed node', async () => {
    const { beats, beat, clock } = setup();
    const genuine = beat();
    beats.receive('rpi-kitchen', genuine);
    await clock.advance(OFFLINE_AFTER_MS - 5_000);
    expect(beats.receive('rpi-kitchen', beat({ secret: 'wrong-secret' }))).toBe(false);
    expect(beats.receive('rpi-kitchen', beat({ ts: clock.now() - 61_000 }))).toBe(false);
    expect(beats.receive('rpi-kitchen', genuine)).toBe(false);
    // Signed by the right secret but for another node name: the signature covers the name.
    const other = JSON.parse(beat({ node: 'rpi-bedroom' }).toString()) as Record<string, unknown>;
    expect(beats.receive('rpi-kitchen', Buffer.from(JSON.stringify(other)))).toBe(false);
    expect(beats.receive('rpi-kitchen', Buffer.from('{not json'))).toBe(false);
    await clock.advance(5_000);
    expect(beats.online('rpi-kitchen')).toBe(false);
    expect(beats.describe()[0]).toMatchObject({ online: false, agents: ['temp-sensor'] });
  });

  it('says a deployed node sending unsigned heartbeats needs a redeploy, until a signed one comes', () => {
    const { beats, beat } = setup();
    expect(beats.receive('rpi-kitchen', Buffer.from(JSON.stringify({ node: 'rpi-kitchen', host: 'old', version: '0.0.9', agents: [], ts: 1 })))).toBe(false);
    expect(beats.online('rpi-kitchen')).toBe(false);
    expect(beats.needsRedeploy('rpi-kitchen')).toBe(true);
    beats.receive('rpi-kitchen', beat());
    expect(beats.needsRedeploy('rpi-kitchen')).toBe(false);
  });

  it('logs a flood of dropped heartbeats as one line per window with a count', async () => {
    const { beats, beat, clock, lines } = setup();
    for (let i = 0; i < 200; i++) beats.receive('rpi-fake', beat({ node: 'rpi-fake' }));
    expect(lines).toEqual([{ obj: { node: 'rpi-fake', reason: 'no node of that name was deployed from this Wactorz' }, msg: 'dropped a node heartbeat that is not signed by a deployed node' }]);
    await clock.advance(10_000);
    beats.receive('rpi-kitchen', beat({ secret: 'wrong' }));
    expect(lines[1]?.obj).toEqual({ node: 'rpi-kitchen', reason: 'bad signature', suppressed: 199 });
  });
});
