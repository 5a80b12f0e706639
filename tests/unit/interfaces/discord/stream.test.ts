// The streamed reply's throttle and exactness on a manual clock and a recording surface: the
// first words are posted at once, later ones edited in at most once per interval, nothing is
// edited while nothing changed, the final text is exact with buttons on its last message, and
// an answer past the limit continues in new messages.
import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { ManualClock, flushMicrotasks } from '../../../../server/src/core/clock.ts';
import { createLogger } from '../../../../server/src/logger.ts';
import { StreamedReply, type ReplySurface } from '../../../../server/src/interfaces/discord/stream.ts';

interface Op {
  op: 'post' | 'edit' | 'remove';
  id: string;
  content?: string;
  buttons?: number;
}

function recorder(): { surface: ReplySurface; ops: Op[] } {
  const ops: Op[] = [];
  let n = 0;
  return {
    ops,
    surface: {
      async post(content, components) {
        const id = `m${++n}`;
        ops.push({ op: 'post', id, content, buttons: components.length });
        return id;
      },
      async edit(id, content, components) {
        ops.push({ op: 'edit', id, content, buttons: components.length });
      },
      async remove(id) {
        ops.push({ op: 'remove', id });
      },
    },
  };
}

const logger = createLogger('silent');

describe('StreamedReply', () => {
  it('posts the first words at once and edits at most once per interval', async () => {
    const clock = new ManualClock();
    const { surface, ops } = recorder();
    const reply = new StreamedReply(surface, { clock, intervalMs: 1000, logger });
    reply.push('The');
    await flushMicrotasks();
    expect(ops).toEqual([{ op: 'post', id: 'm1', content: 'The', buttons: 0 }]);

    reply.push(' porch');
    reply.push(' light');
    await clock.advance(999);
    expect(ops).toHaveLength(1);
    await clock.advance(1);
    expect(ops.at(-1)).toEqual({ op: 'edit', id: 'm1', content: 'The porch light', buttons: 0 });

    // Nothing new: no timer, no edit.
    await clock.advance(5000);
    expect(ops).toHaveLength(2);
    expect(clock.pending()).toBe(0);
  });

  it('the final text is exact and carries the buttons; pending updates are dropped', async () => {
    const clock = new ManualClock();
    const { surface, ops } = recorder();
    const reply = new StreamedReply(surface, { clock, intervalMs: 1000, logger });
    reply.push('Unlock');
    reply.push(' the front door?');
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId('x').setLabel('Yes').setStyle(ButtonStyle.Success));
    await reply.finish('Unlock the front door? It is a sensitive action.', [row]);
    // The first words were still waiting to be posted when the answer ended: one post says it all.
    expect(ops).toEqual([{ op: 'post', id: 'm1', content: 'Unlock the front door? It is a sensitive action.', buttons: 1 }]);

    const second = recorder();
    const streamed = new StreamedReply(second.surface, { clock, intervalMs: 1000, logger });
    streamed.push('Unlock');
    await flushMicrotasks();
    streamed.push(' the front door?');
    await streamed.finish('Unlock the front door? It is a sensitive action.', [row]);
    expect(second.ops).toEqual([
      { op: 'post', id: 'm1', content: 'Unlock', buttons: 0 },
      { op: 'edit', id: 'm1', content: 'Unlock the front door? It is a sensitive action.', buttons: 1 },
    ]);
    expect(clock.pending()).toBe(0);
  });

  it('a final answer that equals what is shown is not edited again', async () => {
    const clock = new ManualClock();
    const { surface, ops } = recorder();
    const reply = new StreamedReply(surface, { clock, intervalMs: 1000, logger });
    reply.push('Done.');
    await reply.finish('Done.');
    expect(ops).toEqual([{ op: 'post', id: 'm1', content: 'Done.', buttons: 0 }]);
  });

  it('an answer past the limit continues in new messages, buttons on the last', async () => {
    const clock = new ManualClock();
    const { surface, ops } = recorder();
    const reply = new StreamedReply(surface, { clock, intervalMs: 1000, logger, limit: 100 });
    const text = Array.from({ length: 12 }, (_, i) => `sentence number ${i}.`).join(' ');
    reply.push(text.slice(0, 80));
    await flushMicrotasks();
    reply.push(text.slice(80));
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId('x').setLabel('Approve').setStyle(ButtonStyle.Success));
    await reply.finish(text, [row]);
    const posts = ops.filter((o) => o.op === 'post');
    expect(posts.length).toBeGreaterThanOrEqual(2);
    expect(ops.filter((o) => (o.buttons ?? 0) > 0).map((o) => o.id)).toEqual([posts.at(-1)?.id]);
    expect(reply.messages).toBe(posts.length);
    for (const o of ops) expect((o.content ?? '').length).toBeLessThanOrEqual(100);
  });

  it('an empty answer is shown as "(no answer)": Discord refuses empty messages', async () => {
    const { surface, ops } = recorder();
    await new StreamedReply(surface, { clock: new ManualClock(), intervalMs: 1000, logger }).finish('');
    expect(ops).toEqual([{ op: 'post', id: 'm1', content: '(no answer)', buttons: 0 }]);
  });

  it('a failed update while streaming costs only that update; the final one still lands', async () => {
    const clock = new ManualClock();
    const { surface, ops } = recorder();
    let failNext = true;
    const flaky: ReplySurface = {
      ...surface,
      async post(content, components) {
        if (failNext) {
          failNext = false;
          throw new Error('429');
        }
        return surface.post(content, components);
      },
    };
    const reply = new StreamedReply(flaky, { clock, intervalMs: 1000, logger });
    reply.push('Hello');
    await flushMicrotasks();
    await reply.finish('Hello there.');
    expect(ops).toEqual([{ op: 'post', id: 'm1', content: 'Hello there.', buttons: 0 }]);
  });
});
