// Every slash command, in the order /help lists them.
import { agentsCommand } from './agents.ts';
import { clearCommand, clearPlansCommand } from './clear.ts';
import { budgetCommand, costCommand } from './cost.ts';
import { deployCommand, deployPkgCommand, migrateCommand } from './edge.ts';
import { helpCommand } from './help.ts';
import { memoryCommand } from './memory.ts';
import { nodesCommand } from './nodes.ts';
import { plansCommand } from './plans.ts';
import { CommandRegistry } from './registry.ts';
import { rulesCommand } from './rules.ts';
import { busCommand, topicsCommand } from './topics.ts';
import { webhookCommand } from './webhook.ts';

export function defaultCommands(): CommandRegistry {
  return new CommandRegistry().register(
    helpCommand,
    agentsCommand,
    nodesCommand,
    rulesCommand,
    plansCommand,
    memoryCommand,
    webhookCommand,
    topicsCommand,
    busCommand,
    costCommand,
    budgetCommand,
    clearCommand,
    clearPlansCommand,
    deployCommand,
    deployPkgCommand,
    migrateCommand,
  );
}
