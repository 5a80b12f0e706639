import { describe, expect, it } from 'vitest';
import { Mailbox } from '../../../server/src/core/mailbox.ts';

describe('Mailbox', () => {
  it('keeps FIFO order while wrapping around and growing up to its capacity', () => {
    const m = new Mailbox<number>(200);
    const out: number[] = [];
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 7; i++) expect(m.push(next++)).toBe(true);
      for (let i = 0; i < 5; i++) out.push(m.shift() as number);
    }
    out.push(...m.drain());
    expect(out).toEqual(Array.from({ length: next }, (_, i) => i));
    expect(m.size).toBe(0);
    expect(m.shift()).toBeUndefined();
  });

  it('refuses items beyond its capacity', () => {
    const m = new Mailbox<string>(3);
    expect(['a', 'b', 'c', 'd'].map((x) => m.push(x))).toEqual([true, true, true, false]);
    expect(m.isFull()).toBe(true);
    expect(m.drain()).toEqual(['a', 'b', 'c']);
    expect(() => new Mailbox(0)).toThrow(/positive integer/);
  });
});
