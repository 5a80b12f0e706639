// /nodes remove through the orchestrator (the chat's confirmation: the question, done.awaiting
// 'confirmation', a yes or no from the owner only), with the real node records and a stand-in
// for the SSH deployer and the node's agents. The real sshd and a real runner: tests/integration/edge.
import { afterEach, describe, expect, it } from 'vitest';
import { NodeRemoval, REMOVE_CONFIRMATION_TTL_MS } from '../../../../server/src/agents/nodes/node-removal.ts';
import { NodeSecretStore } from '../../../../server/src/agents/nodes/secrets.ts';
import { MemorySpawnRegistry } from '../../../../server/src/store/spawn-registry.ts';
import { haAssistIntents } from '../../../helpers/orchestrator-parts.ts';
import { harness, type Harness } from '../main/harness.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

interface World {
  removal: NodeRemoval;
  secrets: NodeSecretStore;
  registry: MemorySpawnRegistry;
  /** What happened, in order: ssh, migrate, adopt, stop-on-node, undeploy, forget-key. */
  log: string[];
  state: { online: boolean; reachable: boolean; migrateFails: boolean };
}

async function setup(): Promise<World> {
  const log: string[] = [];
  const state = { online: true, reachable: true, migrateFails: false };
  const registry = new MemorySpawnRegistry();
  // The orchestrator is built first (its db holds the node records); its parts reach the removal through `ref`.
  const ref: { removal?: NodeRemoval } = {};
  const removal = () => ref.removal as NodeRemoval;
  h = await harness({
    deps: {
      nodes: { list: async () => [], askRemove: (conversation, r) => removal().ask(conversation, r) },
      intents: { ...haAssistIntents(undefined), followUps: [(t, c) => removal().followUp(t, c)], questions: [(t) => removal().question(t)] },
    },
  });
  const secrets = new NodeSecretStore(h.db, () => h.clock.now());
  secrets.ensure('rpi-kitchen', { host: '10.0.0.5', sshUser: 'pi', sshPort: 22, installDir: '/home/pi/wactorz-edge', supervision: 'systemd-user' });
  registry.save({ name: 'kitchen-cam', type: 'dynamic', config: { name: 'kitchen-cam', type: 'dynamic', code: '', node: 'rpi-kitchen' }, node: 'rpi-kitchen' });
  registry.save({ name: 'weather', type: 'dynamic', config: { name: 'weather', type: 'dynamic', code: '' } });
  ref.removal = new NodeRemoval({
    secrets,
    registry,
    clock: h.clock,
    remote: {
      online: () => state.online,
      migrate: async (name, target) => {
        log.push(`migrate ${name} ${target}`);
        if (state.migrateFails) throw new Error('the sandbox refused it');
        registry.save({ name, type: 'dynamic', config: { name, type: 'dynamic', code: '' } });
        return `Moved ${name}.`;
      },
      remove: async (node, name) => void log.push(`stop-on-node ${node} ${name}`),
      adoptHere: async (name, why) => (log.push(`adopt ${name}`), `${name}: started here from its saved config (${why})`),
    },
    deployer: {
      undeploy: async (t, o) => {
        log.push(`ssh ${t.user}@${t.host}:${t.port} ${t.installDir}`);
        if (!state.reachable) throw new Error('connect ECONNREFUSED 10.0.0.5:22');
        await o?.beforeStop?.();
        log.push(`undeploy${o?.purge ? ' purge' : ''}`);
        secrets.recordUndeploy(t.node);
        return ['removed the user service wactorz-edge-rpi-kitchen.service', ...(o?.purge ? ['deleted /home/pi/wactorz-edge'] : [])];
      },
      forgetHostKey: (host, port) => (log.push(`forget-key ${host}:${port}`), true),
    },
  });
  return { removal: ref.removal, secrets, registry, log, state };
}

describe('/nodes remove', () => {
  it('asks first; no cancels; yes moves the agents while the runner runs, then undeploys; secret and host key kept', async () => {
    const w = await setup();
    const asked = await h.turn('/nodes remove rpi-kitchen');
    expect(asked.reply).toContain('Remove node rpi-kitchen (pi@10.0.0.5)?');
    expect(asked.reply).toContain('its agents (kitchen-cam) move to this add-on with their saved state');
    expect(asked.reply).toContain('add --forget to drop them');
    expect(asked.events.find((e) => e.type === 'done')).toMatchObject({ awaiting: 'confirmation' });
    expect((await h.turn('no')).reply).toBe('Cancelled: node rpi-kitchen was not removed.');
    expect(w.log).toEqual([]);

    await h.turn('/nodes remove rpi-kitchen');
    const done = await h.turn('yes');
    expect(done.route).toBe('followup');
    expect(done.reply).toBe(
      [
        'Removed node rpi-kitchen.',
        'Agents:',
        '  kitchen-cam: moved to this add-on with its saved state',
        'On the node: removed the user service wactorz-edge-rpi-kitchen.service.',
        'Its secret and pinned host key are kept: /deploy rpi-kitchen ... brings it back; /nodes remove rpi-kitchen --forget drops them.',
      ].join('\n'),
    );
    expect(w.log).toEqual(['ssh pi@10.0.0.5:22 /home/pi/wactorz-edge', 'migrate kitchen-cam local', 'undeploy']);
    expect(w.secrets.get('rpi-kitchen')).toMatchObject({ supervision: null, undeployedAt: h.clock.now() });
    expect(done.events.find((e) => e.type === 'done')).not.toHaveProperty('awaiting');
  });

  it('--forget --purge: deletes the files and forgets the secret and the host key', async () => {
    const w = await setup();
    expect((await h.turn('/nodes remove rpi-kitchen --forget --purge')).reply).toContain('its install dir (/home/pi/wactorz-edge) is deleted');
    const done = await h.turn('yes');
    expect(done.reply).toContain('On the node: removed the user service wactorz-edge-rpi-kitchen.service; deleted /home/pi/wactorz-edge.');
    expect(done.reply).toContain('Forgot its secret and the pinned host key of 10.0.0.5.');
    expect(w.secrets.get('rpi-kitchen')).toBeUndefined();
    expect(w.log.at(-1)).toBe('forget-key 10.0.0.5:22');
  });

  it('keeps a host key another node on the same host uses', async () => {
    const w = await setup();
    w.secrets.ensure('rpi-kitchen-2', { host: '10.0.0.5', sshUser: 'pi', sshPort: 22 });
    await h.turn('/nodes remove rpi-kitchen --forget');
    expect((await h.turn('yes')).reply).toContain('Forgot its secret; kept the pinned host key of 10.0.0.5, which rpi-kitchen-2 also uses.');
    expect(w.log.some((l) => l.startsWith('forget-key'))).toBe(false);
  });

  it('an unreachable node changes nothing and offers --forget; with --forget it is dropped here anyway', async () => {
    const w = await setup();
    w.state.reachable = false;
    await h.turn('/nodes remove rpi-kitchen');
    const refused = (await h.turn('yes')).reply;
    expect(refused).toContain('Could not remove rpi-kitchen over SSH: connect ECONNREFUSED 10.0.0.5:22.');
    expect(refused).toContain('Nothing was changed');
    expect(refused).toContain('/nodes remove rpi-kitchen --forget to drop it here anyway');
    expect(w.log).toEqual(['ssh pi@10.0.0.5:22 /home/pi/wactorz-edge']);
    expect(w.secrets.get('rpi-kitchen')).toMatchObject({ supervision: 'systemd-user', undeployedAt: null });

    await h.turn('/nodes remove rpi-kitchen --forget');
    const forced = (await h.turn('yes')).reply;
    expect(forced).toContain('kitchen-cam: moved to this add-on with its saved state');
    expect(forced).toContain('its runner was NOT stopped');
    expect(forced).toContain('systemctl disable --now wactorz-edge-rpi-kitchen.service');
    expect(w.secrets.get('rpi-kitchen')).toBeUndefined();
  });

  it('starts the agents here from their config when the node is offline or a move fails', async () => {
    const w = await setup();
    w.state.online = false;
    expect((await h.turn('/nodes remove rpi-kitchen')).reply).toContain('rpi-kitchen is offline, so they start here from their saved config');
    expect((await h.turn('yes')).reply).toContain('kitchen-cam: started here from its saved config (rpi-kitchen is offline)');
    expect(w.log).toEqual(['ssh pi@10.0.0.5:22 /home/pi/wactorz-edge', 'adopt kitchen-cam', 'undeploy']);

    w.log.length = 0;
    w.state.online = true;
    w.state.migrateFails = true;
    await h.turn('/nodes remove rpi-kitchen');
    expect((await h.turn('yes')).reply).toContain('kitchen-cam: started here from its saved config (moving it failed: the sandbox refused it)');
    expect(w.log).toEqual(['ssh pi@10.0.0.5:22 /home/pi/wactorz-edge', 'migrate kitchen-cam local', 'stop-on-node rpi-kitchen kitchen-cam', 'adopt kitchen-cam', 'undeploy']);
  });

  it('is the owner\'s alone: refused on a restricted channel, and a restricted "yes" answers nothing', async () => {
    const w = await setup();
    expect((await h.turn('/nodes remove rpi-kitchen', { channel: 'mqtt' })).reply).toMatch(/^⛔ \/nodes remove is only for the owner/);
    await h.turn('/nodes remove rpi-kitchen');
    const fromBroker = await h.turn('yes', { channel: 'mqtt' });
    expect(fromBroker.route).not.toBe('followup');
    expect(fromBroker.events.find((e) => e.type === 'done')).not.toHaveProperty('awaiting');
    expect(w.log).toEqual([]);
    // The listing stays anyone's.
    expect((await h.turn('/nodes', { channel: 'mqtt' })).reply).toBe('No remote nodes are known. Every agent runs in this add-on.');
  });

  it('an unknown node asks nothing; a question lapses after two minutes or on another request', async () => {
    const w = await setup();
    const unknown = await h.turn('/nodes remove rpi-garage');
    expect(unknown.reply).toBe('No node named rpi-garage was deployed from this Wactorz. Known nodes: rpi-kitchen.');
    expect(unknown.events.find((e) => e.type === 'done')).not.toHaveProperty('awaiting');
    expect((await h.turn('/nodes remove rpi-kitchen --everything')).reply).toMatch(/^Unknown option --everything.\nUsage:/);

    await h.turn('/nodes remove rpi-kitchen');
    await h.clock.advance(REMOVE_CONFIRMATION_TTL_MS);
    expect((await h.turn('yes')).route).not.toBe('followup');
    await h.turn('/nodes remove rpi-kitchen');
    await h.turn('what time is it');
    expect((await h.turn('yes')).route).not.toBe('followup');
    expect(w.log).toEqual([]);
  });
});
