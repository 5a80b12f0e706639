// /memory: what main remembers about the user (each fact with where it came from) and the
// summary of this conversation; /memory clear wipes both, /memory forget drops one fact.
import type { Fact } from '../memory/facts-store.ts';
import { requestContextOf, usage, type SlashCommand } from './registry.ts';

function sourceOf(f: Fact): string {
  const when = new Date(f.source.at).toISOString().slice(0, 16).replace('T', ' ');
  if (f.source.kind === 'user') return `set by you, ${when}`;
  const who = f.source.userId ? ` with ${f.source.userId}` : '';
  const words = f.source.excerpt ? `: "${f.source.excerpt}"` : '';
  return `from chat${who}, ${when}${words}`;
}

export const memoryCommand: SlashCommand = {
  name: 'memory',
  usage: ['/memory', '/memory clear', '/memory forget <key>'],
  summary: 'show remembered facts (with sources); clear them, or forget one',
  async run(ctx) {
    const { facts, memory, conversations } = ctx.deps;
    const [verb, ...more] = ctx.args;
    if (verb === undefined) {
      const list = facts.list();
      const lines = list.length ? [`Facts (${list.length}):`, ...list.map((f) => `  ${f.key}: ${f.value}\n      ${sourceOf(f)}`)] : ['No facts remembered yet.'];
      const summaries = conversations?.summaries(ctx.conversationKey) ?? [];
      if (summaries.length) lines.push('', 'Summary of this conversation so far:', ...summaries.map((s) => `  ${s.text}`));
      return lines.join('\n');
    }
    switch (verb.toLowerCase()) {
      case 'clear': {
        if (more.length) usage();
        const n = await memory.clear(requestContextOf(ctx));
        conversations?.clear(ctx.conversationKey);
        return `Forgot ${n} fact${n === 1 ? '' : 's'} and this conversation's history and summary.`;
      }
      case 'forget': {
        if (more.length !== 1) usage('/memory forget needs the key of one fact (see /memory).');
        const key = more[0];
        return (await memory.forget(key, requestContextOf(ctx))) ? `Forgot ${key}.` : `No fact named ${key}. /memory lists them.`;
      }
      default:
        return usage();
    }
  },
};
