// The node records: what supervises the runner (recorded at deploy) and when /nodes remove
// undeployed it, on the real SQLite schema (migration 701); never the secret.
import { describe, expect, it } from 'vitest';
import { NodeSecretStore } from '../../../../server/src/agents/nodes/secrets.ts';
import { ManualClock } from '../../../../server/src/core/clock.ts';
import { openDatabase } from '../../../../server/src/store/database.ts';

describe('NodeSecretStore', () => {
  it('records the supervision of each deploy, an undeploy, and a redeploy clearing it', async () => {
    const clock = new ManualClock(1_000);
    const db = openDatabase({ dataDir: ':memory:' });
    const store = new NodeSecretStore(db, () => clock.now());
    const secret = store.ensure('rpi-kitchen', { host: '10.0.0.5', sshUser: 'pi', sshPort: 22, installDir: '/home/pi/wactorz-edge' });
    expect(store.get('rpi-kitchen')).toMatchObject({ supervision: null, undeployedAt: null });

    expect(store.ensure('rpi-kitchen', { supervision: 'cron' })).toBe(secret);
    expect(store.get('rpi-kitchen')).toMatchObject({ host: '10.0.0.5', installDir: '/home/pi/wactorz-edge', supervision: 'cron', undeployedAt: null });

    await clock.advance(5_000);
    store.recordUndeploy('rpi-kitchen');
    expect(store.get('rpi-kitchen')).toMatchObject({ supervision: null, undeployedAt: 6_000 });
    // Another ensure without a supervision (the start of a deploy) leaves the undeploy recorded.
    store.ensure('rpi-kitchen', { host: '10.0.0.5' });
    expect(store.get('rpi-kitchen')).toMatchObject({ undeployedAt: 6_000 });
    store.ensure('rpi-kitchen', { supervision: 'systemd-user' });
    expect(store.get('rpi-kitchen')).toMatchObject({ supervision: 'systemd-user', undeployedAt: null });

    expect(store.ensure('rpi-attic', { host: '10.0.0.6', supervision: 'none' })).not.toBe(secret);
    expect(store.list().map((n) => [n.name, n.supervision])).toEqual([['rpi-attic', 'none'], ['rpi-kitchen', 'systemd-user']]);
    expect(JSON.stringify(store.list())).not.toContain(secret);
    db.close();
  });
});
