// /nodes remove <name> [--forget] [--purge]: takes a node out of service. The owner is asked first
// (the chat's confirmation: a question kept per conversation for two minutes, answered by a plain
// yes or no, reported as `done.awaiting: 'confirmation'` so chat apps show buttons). On yes:
// 1. the node is reached over SSH; an unreachable node changes nothing unless --forget was given;
// 2. while its runner still runs, each agent placed on it moves here with its persisted keys
//    (EdgeNodes.migrate to `local`, as /migrate does); one that cannot move, or a node that is
//    offline, is started here from its saved config, or kept here not running when that fails;
// 3. the runner's supervisor is removed and the runner stopped (EdgeDeployer.undeploy), and with
//    --purge its install dir deleted;
// 4. only with --forget: the node's secret (nothing it says is believed any more) and the pinned
//    host key, unless another node shares that host.
// Without --forget the node stays listed, undeployed, and /deploy brings it back with its secret.
import type { Clock } from '../../core/clock.ts';
import type { SpawnRegistry } from '../../store/spawn-registry.ts';
import { DEFAULT_CONFIRMATION_TTL_MS, PendingConfirmations, readAnswer } from '../ha/pending.ts';
import type { FollowUp, QuestionCheck } from '../main/intents.ts';
import { isRestricted } from '../main/trust.ts';
import { conversationKey } from '../main/turn-context.ts';
import type { EdgeDeployer } from './deploy.ts';
import type { EdgeNodes } from './edge-nodes.ts';
import type { NodeSecretStore } from './secrets.ts';
import { cronMarker, unitName } from './supervision.ts';

export const REMOVE_CONFIRMATION_TTL_MS = DEFAULT_CONFIRMATION_TTL_MS;
export const NODE_REMOVAL_AGENT = 'nodes';

export interface RemoveRequest {
  node: string;
  /** Drop the node's secret and pinned host key too (and drop it here even when SSH fails). */
  forget: boolean;
  /** Delete the install dir on the node. */
  purge: boolean;
}

export interface NodeRemovalDeps {
  secrets: NodeSecretStore;
  remote: Pick<EdgeNodes, 'online' | 'migrate' | 'remove' | 'adoptHere'>;
  deployer: Pick<EdgeDeployer, 'undeploy' | 'forgetHostKey'>;
  registry: SpawnRegistry;
  clock: Clock;
}

export class NodeRemoval {
  readonly #d: NodeRemovalDeps;
  readonly #pending: PendingConfirmations<RemoveRequest>;

  constructor(deps: NodeRemovalDeps) {
    this.#d = deps;
    this.#pending = new PendingConfirmations<RemoveRequest>(deps.clock, REMOVE_CONFIRMATION_TTL_MS);
  }

  /** The spawned agents placed on the node, by name. */
  agentsOn(node: string): string[] {
    return this.#d.registry.list().filter((r) => r.node === node).map((r) => r.name);
  }

  /** What /nodes remove answers: the question (kept for this conversation), or why there is none. */
  ask(conversation: string, r: RemoveRequest): string {
    const record = this.#d.secrets.get(r.node);
    if (!record) {
      const known = this.#d.secrets.list().map((n) => n.name);
      return `No node named ${r.node} was deployed from this Wactorz.${known.length ? ` Known nodes: ${known.join(', ')}.` : ''}`;
    }
    this.#pending.put(conversation, r);
    const agents = this.agentsOn(r.node);
    const where = record.host ? `${record.sshUser ?? '?'}@${record.host}${record.sshPort && record.sshPort !== 22 ? `:${record.sshPort}` : ''}` : 'no SSH address recorded';
    return [
      `Remove node ${r.node} (${where})?`,
      agents.length
        ? `- its agents (${agents.join(', ')}) move to this add-on${this.#d.remote.online(r.node) ? ' with their saved state' : `; ${r.node} is offline, so they start here from their saved config without what they persisted there`}`
        : '- no agents are placed on it',
      '- its edge runner is stopped and its systemd service or crontab lines removed (over SSH)',
      r.purge ? `- its install dir (${record.installDir ?? 'wactorz-edge'}) is deleted` : '- its files stay on the node (add --purge to delete them)',
      r.forget ? '- its secret and pinned host key are forgotten here' : '- its secret and pinned host key are kept, so /deploy can bring it back (add --forget to drop them)',
      'Reply yes to go ahead, or no.',
    ].join('\n');
  }

  /** The owner's yes or no to the question of this conversation (IntentHandlers.followUps). */
  readonly followUp: FollowUp = async (text, ctx) => {
    if (isRestricted(ctx.turn)) return undefined;
    const pending = this.#pending.take(conversationKey(ctx.turn));
    if (!pending) return undefined;
    const answer = readAnswer(text);
    // Anything else is a new request: the question lapses.
    if (answer === undefined) return undefined;
    if (answer === 'no') return { text: `Cancelled: node ${pending.node} was not removed.`, agent: NODE_REMOVAL_AGENT };
    return { text: await this.remove(pending), agent: NODE_REMOVAL_AGENT };
  };

  /** Whether this conversation has a removal to confirm (IntentHandlers.questions). */
  readonly question: QuestionCheck = (turn) => (!isRestricted(turn) && this.#pending.peek(conversationKey(turn)) ? 'confirmation' : undefined);

  /** Carries a confirmed removal out; returns what was done, for the owner. */
  async remove(r: RemoveRequest): Promise<string> {
    const { secrets, deployer } = this.#d;
    const record = secrets.get(r.node);
    if (!record) return `No node named ${r.node} was deployed from this Wactorz; nothing was done.`;
    let agentLines: string[] | undefined;
    const moveAgents = async () => {
      agentLines = await this.#moveAgents(r.node);
    };
    let onNode: string[] = [];
    let sshError: string | undefined;
    if (!record.host || !record.sshUser) sshError = 'no SSH address is recorded for it';
    else {
      try {
        onNode = await deployer.undeploy({ node: r.node, host: record.host, user: record.sshUser, port: record.sshPort ?? 22, ...(record.installDir ? { installDir: record.installDir } : {}) }, { purge: r.purge, beforeStop: moveAgents });
      } catch (err) {
        sshError = err instanceof Error ? err.message : String(err);
      }
    }
    if (sshError !== undefined && !r.forget) {
      return [
        `Could not remove ${r.node} over SSH: ${sshError}.`,
        ...(agentLines ? ['Its agents were moved before that:', ...agentLines.map((l) => `  ${l}`)] : ['Nothing was changed: its agents and runner are as they were.']),
        `Fix SSH and try again, or run /nodes remove ${r.node} --forget to drop it here anyway (the runner then keeps running on the node until you stop it there).`,
      ].join('\n');
    }
    if (agentLines === undefined) await moveAgents();
    const lines = [`Removed node ${r.node}.`];
    lines.push(...((agentLines ?? []).length ? ['Agents:', ...(agentLines ?? []).map((l) => `  ${l}`)] : ['It had no agents.']));
    if (sshError === undefined) lines.push(`On the node: ${onNode.length ? onNode.join('; ') : 'no supervisor or running runner was found'}.`);
    else {
      lines.push(
        `Not reached over SSH (${sshError}): its runner was NOT stopped. Stop it on the node: systemctl disable --now ${unitName(r.node)} (or --user), remove the crontab lines ending in "${cronMarker(r.node)}", or kill the pid in its edge.pid.`,
      );
    }
    if (r.forget) lines.push(this.#forget(r.node, record.host, record.sshPort ?? 22));
    else lines.push(`Its secret and pinned host key are kept: /deploy ${r.node} ... brings it back; /nodes remove ${r.node} --forget drops them.`);
    return lines.join('\n');
  }

  async #moveAgents(node: string): Promise<string[]> {
    const { remote } = this.#d;
    const out: string[] = [];
    for (const name of this.agentsOn(node)) {
      if (!remote.online(node)) {
        out.push(await remote.adoptHere(name, `${node} is offline`));
        continue;
      }
      try {
        await remote.migrate(name, 'local');
        out.push(`${name}: moved to this add-on with its saved state`);
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        // migrate put it back on the node: stop that copy before starting one here.
        await remote.remove(node, name).catch(() => undefined);
        out.push(await remote.adoptHere(name, `moving it failed: ${why}`));
      }
    }
    return out;
  }

  #forget(node: string, host: string | null, port: number): string {
    const { secrets, deployer } = this.#d;
    secrets.remove(node);
    if (!host) return 'Forgot its secret.';
    const sharing = secrets.list().filter((n) => n.host === host && (n.sshPort ?? 22) === port).map((n) => n.name);
    if (sharing.length) return `Forgot its secret; kept the pinned host key of ${host}, which ${sharing.join(', ')} also use${sharing.length === 1 ? 's' : ''}.`;
    return deployer.forgetHostKey(host, port) ? `Forgot its secret and the pinned host key of ${host}.` : `Forgot its secret (no host key of ${host} was pinned).`;
  }
}
