// /help: every command with its first usage line, plus the ways to address agents directly.
import { formatUsage, usage, type SlashCommand } from './registry.ts';

// Two columns, at least two spaces apart: the panel shows such lines as a table.
const ADDRESSING: [string, string][] = [
  ['@agent-name message', 'send the message straight to that agent (a catalog recipe is spawned first)'],
  ['@agent-name', 'send your next message to that agent'],
  ['@main message', 'talk to main itself, skipping the intent router'],
  ['@planner task', 'ask the planner (@planner! skips approval)'],
  ['coordinate: / plan:', 'a multi-step task for the planner (coordinate! skips approval)'],
  ['pipeline: / pipeline!', 'a reactive rule for the planner (pipeline! skips approval)'],
];
const ADDRESS_WIDTH = Math.max(...ADDRESSING.map(([a]) => a.length));

export const helpCommand: SlashCommand = {
  name: 'help',
  aliases: ['?'],
  usage: ['/help', '/help <command>'],
  summary: 'list the commands, or explain one',
  readOnly: () => true,
  async run(ctx) {
    const all = ctx.deps.commands();
    if (ctx.args.length > 1) usage('Name one command.');
    if (ctx.args.length === 1) {
      const wanted = ctx.args[0].replace(/^\//, '').toLowerCase();
      const command = all.find((c) => c.name === wanted || c.aliases?.includes(wanted));
      if (!command) return `There is no command /${wanted}. /help lists them.`;
      return `/${command.name}: ${command.summary}\n${formatUsage(command)}`;
    }
    const width = Math.max(...all.map((c) => c.usage[0].length));
    const lines = all.map((c) => `  ${c.usage[0].padEnd(width)}  ${c.summary}`);
    return ['Commands (answered without the LLM):', ...lines, '', 'Talking to agents:', ...ADDRESSING.map(([a, what]) => `  ${a.padEnd(ADDRESS_WIDTH)}  ${what}`)].join('\n');
  },
};
