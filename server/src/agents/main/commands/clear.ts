// /clear wipes what main remembers of this conversation (facts stay: /memory clear for those);
// /clear-plans wipes the planner's plan cache.
import { usage, type SlashCommand } from './registry.ts';

export const clearCommand: SlashCommand = {
  name: 'clear',
  usage: ['/clear'],
  summary: "clear main's memory of this conversation",
  async run(ctx) {
    if (ctx.args.length > 0) usage();
    const conversations = ctx.deps.conversations;
    if (!conversations) return 'There is no conversation memory to clear.';
    const n = conversations.messageCount(ctx.conversationKey);
    conversations.clear(ctx.conversationKey);
    return `Cleared this conversation's history (${n} message${n === 1 ? '' : 's'}). Remembered facts are kept; /memory clear forgets them too.`;
  },
};

export const clearPlansCommand: SlashCommand = {
  name: 'clear-plans',
  usage: ['/clear-plans'],
  summary: "wipe the planner's plan cache",
  async run(ctx) {
    if (ctx.args.length > 0) usage();
    const plans = ctx.deps.plans;
    if (!plans.clearCache) return 'The planner keeps no plan cache.';
    const n = await plans.clearCache();
    return `Plan cache cleared (${n} cached plan${n === 1 ? '' : 's'}).`;
  },
};
