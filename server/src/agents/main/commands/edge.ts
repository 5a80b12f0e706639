// /deploy, /deploy-pkg and /migrate: remote nodes over SSH and signed MQTT (agents/nodes/). They use
// the orchestrator's NodesSource (agents/nodes); a source without deploy/migrate says so plainly.
import { installPackages } from '../../../sandbox/install.ts';
import { usage, type SlashCommand } from './registry.ts';

const NOT_YET = 'is not available: remote nodes are not set up in this Wactorz. Every agent runs in this add-on.';

export const deployCommand: SlashCommand = {
  name: 'deploy',
  usage: ['/deploy <node-name> <host> <ssh-user> <broker-url> [confirm <SHA256:fingerprint>]'],
  summary: 'bootstrap a remote node over SSH (host key confirmed once, key-based login)',
  async run(ctx) {
    const [node, host, user, broker, word, fingerprint] = ctx.args;
    if (!node || !host || !user || !broker || (ctx.args.length !== 4 && (ctx.args.length !== 6 || word !== 'confirm'))) usage();
    const nodes = ctx.deps.nodes;
    if (!nodes.deploy) return `/deploy ${NOT_YET}`;
    return nodes.deploy({ node, host, user, broker, ...(fingerprint ? { confirm: fingerprint } : {}) });
  },
};

export const deployPkgCommand: SlashCommand = {
  name: 'deploy-pkg',
  usage: ['/deploy-pkg <host> <package...>'],
  summary: 'install packages on a remote node (agents cannot load packages: explains why)',
  async run(ctx) {
    if (ctx.args.length < 2) usage();
    // Same policy as the server: sandboxed agents have no require(), on a node as here.
    return installPackages(ctx.args.slice(1))?.message ?? 'No packages were named.';
  },
};

export const migrateCommand: SlashCommand = {
  name: 'migrate',
  usage: ['/migrate <agent> <node>'],
  summary: 'move a spawned agent to another node ("local" = this add-on)',
  async run(ctx) {
    const [agent, node] = ctx.args;
    if (!agent || !node || ctx.args.length !== 2) usage();
    const nodes = ctx.deps.nodes;
    if (!nodes.migrate) return `/migrate ${NOT_YET}`;
    try {
      return await nodes.migrate(agent, node);
    } catch (err) {
      return `Could not move ${agent}: ${err instanceof Error ? err.message : String(err)}`;
    }
  },
};
