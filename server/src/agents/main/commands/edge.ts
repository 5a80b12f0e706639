// /deploy, /deploy-pkg and /migrate belong to the edge work (remote nodes over SSH and MQTT).
// Until it lands they check their arguments and say plainly that they are not available.
import { usage, type SlashCommand } from './registry.ts';

const NOT_YET = 'is not available yet: remote node deployment is still being built. Every agent runs in this add-on for now.';

export const deployCommand: SlashCommand = {
  name: 'deploy',
  usage: ['/deploy <node-name>'],
  summary: 'bootstrap a remote node over SSH (not available yet)',
  async run(ctx) {
    if (ctx.args.length !== 1) usage();
    return `/deploy ${NOT_YET}`;
  },
};

export const deployPkgCommand: SlashCommand = {
  name: 'deploy-pkg',
  usage: ['/deploy-pkg <host> <package...>'],
  summary: 'install packages on a remote node (not available yet)',
  async run(ctx) {
    if (ctx.args.length < 2) usage();
    return `/deploy-pkg ${NOT_YET}`;
  },
};

export const migrateCommand: SlashCommand = {
  name: 'migrate',
  usage: ['/migrate <agent> <node>'],
  summary: 'move a running agent to another node (not available yet)',
  async run(ctx) {
    if (ctx.args.length !== 2) usage();
    return `/migrate ${NOT_YET}`;
  },
};
