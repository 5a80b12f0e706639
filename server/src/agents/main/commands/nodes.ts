// /nodes: remote nodes (Raspberry Pi satellites), whether they are online, what supervises their
// runner and what they host. /nodes remove <name> takes one out of service after the owner
// confirms (agents/nodes/node-removal.ts); it is the owner's alone, the listing is anyone's.
import type { NodeInfo } from '../../../contract/nodes.ts';
import { usage, type SlashCommand } from './registry.ts';

const SUPERVISION: Record<NonNullable<NodeInfo['supervision']>, string> = {
  systemd: 'systemd',
  'systemd-user': 'systemd --user',
  cron: 'cron',
  none: 'not supervised',
};

function supervision(n: NodeInfo): string {
  if (n.undeployed_at) return `, removed ${n.undeployed_at}`;
  return n.supervision ? `, ${SUPERVISION[n.supervision]}` : '';
}

export const nodesCommand: SlashCommand = {
  name: 'nodes',
  usage: ['/nodes', '/nodes remove <name> [--forget] [--purge]'],
  summary: 'list remote nodes with their status, supervision and agents; remove one',
  readOnly: (args) => args.length === 0,
  async run(ctx) {
    if (ctx.args.length > 0) return remove(ctx.args, ctx.conversationKey, ctx.deps.nodes);
    const nodes = await ctx.deps.nodes.list();
    if (nodes.length === 0) return 'No remote nodes are known. Every agent runs in this add-on.';
    const lines = nodes.map((n) => {
      const seen = n.last_seen ? `, last seen ${n.last_seen}` : '';
      const agents = n.agents.length ? n.agents.join(', ') : 'no agents';
      return `  ${n.online ? '🟢' : '⚪'} ${n.name} (${n.online ? 'online' : 'offline'}${seen}${n.host ? `, ${n.host}` : ''}${supervision(n)}): ${agents}`;
    });
    return [`Nodes (${nodes.length}):`, ...lines].join('\n');
  },
};

function remove(args: readonly string[], conversation: string, nodes: Parameters<SlashCommand['run']>[0]['deps']['nodes']): string {
  const [verb, name, ...flags] = args;
  if (verb?.toLowerCase() !== 'remove' || !name || name.startsWith('--')) usage();
  const unknown = flags.filter((f) => f !== '--forget' && f !== '--purge');
  if (unknown.length) usage(`Unknown option ${unknown.join(' ')}.`);
  if (!nodes.askRemove) return '/nodes remove is not available: remote nodes are not set up in this Wactorz.';
  return nodes.askRemove(conversation, { node: name, forget: flags.includes('--forget'), purge: flags.includes('--purge') });
}
