// The two places a streamed reply is written (stream.ts's ReplySurface): a channel (DM, thread
// or channel: new messages, then edits of them), and an interaction (a slash command's deferred
// response, edited, then follow-ups; or, after a button click, follow-ups only, so the question
// above keeps its own text). No answer may ping anyone: a model that writes "@everyone" or a
// user mention must not notify a whole guild, so every payload disables allowed mentions.
import type { Message, MessageCreateOptions, MessageEditOptions, RepliableInteraction, SendableChannels } from 'discord.js';
import type { ReplySurface } from './stream.ts';

const NO_PINGS = { parse: [] } as const;

export function channelSurface(channel: SendableChannels): ReplySurface {
  const sent = new Map<string, Message>();
  return {
    async post(content, components) {
      const options: MessageCreateOptions = { content, components: [...components], allowedMentions: NO_PINGS };
      const m = await channel.send(options);
      sent.set(m.id, m);
      return m.id;
    },
    async edit(id, content, components) {
      const options: MessageEditOptions = { content, components: [...components], allowedMentions: NO_PINGS };
      const m = sent.get(id);
      await (m ? m.edit(options) : channel.messages.edit(id, options));
    },
    async remove(id) {
      await channel.messages.delete(id);
      sent.delete(id);
    },
  };
}

/**
 * An interaction's messages. `first: 'original'` writes the first part into the (deferred)
 * response; `'followUp'` posts every part as a follow-up. Interaction tokens last 15 minutes,
 * far longer than a turn.
 */
export function interactionSurface(interaction: RepliableInteraction, first: 'original' | 'followUp'): ReplySurface {
  let usedOriginal = first === 'followUp';
  return {
    async post(content, components) {
      const payload = { content, components: [...components], allowedMentions: NO_PINGS };
      if (!usedOriginal) {
        usedOriginal = true;
        await interaction.editReply(payload);
        return '@original';
      }
      const m = await interaction.followUp(payload);
      return m.id;
    },
    async edit(id, content, components) {
      await interaction.editReply({ message: id, content, components: [...components], allowedMentions: NO_PINGS });
    },
    async remove(id) {
      await interaction.deleteReply(id);
    },
  };
}
