// /nodes: remote nodes (Raspberry Pi satellites), whether they are online and what they host.
import { usage, type SlashCommand } from './registry.ts';

export const nodesCommand: SlashCommand = {
  name: 'nodes',
  usage: ['/nodes'],
  summary: 'list remote nodes with their status and agents',
  readOnly: () => true,
  async run(ctx) {
    if (ctx.args.length > 0) usage();
    const nodes = await ctx.deps.nodes.list();
    if (nodes.length === 0) return 'No remote nodes are known. Every agent runs in this add-on.';
    const lines = nodes.map((n) => {
      const seen = n.last_seen ? `, last seen ${n.last_seen}` : '';
      const agents = n.agents.length ? n.agents.join(', ') : 'no agents';
      return `  ${n.online ? '🟢' : '⚪'} ${n.name} (${n.online ? 'online' : 'offline'}${seen}${n.host ? `, ${n.host}` : ''}): ${agents}`;
    });
    return [`Nodes (${nodes.length}):`, ...lines].join('\n');
  },
};
