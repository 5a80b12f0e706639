import { describe, expect, it } from 'vitest';
import { logMalformed } from '../../../server/src/bus/malformed-log.ts';
import { MemoryBus } from '../../../server/src/bus/memory-bus.ts';
import { ManualClock } from '../../../server/src/core/clock.ts';
import { settle } from '../core/fixtures.ts';

describe('malformed payload log', () => {
  it('logs the first malformed payload of a window and counts the rest into the next line', async () => {
    const bus = new MemoryBus('wactorz');
    const clock = new ManualClock();
    const lines: { obj: Record<string, unknown>; msg: string }[] = [];
    bus.subscribe('agentCommands', {}, () => undefined);
    logMalformed(bus, { warn: (obj, msg) => lines.push({ obj: obj as Record<string, unknown>, msg }) }, clock);
    for (let i = 0; i < 1000; i++) bus.publishRaw('wactorz/agents/x/commands', '{not json');
    await settle();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'malformed payload dropped', obj: { topic: 'wactorz/agents/x/commands' } });
    expect(bus.stats().malformed).toBe(1000);
    await clock.advance(10_000);
    bus.publishRaw('wactorz/agents/x/commands', '[]');
    await settle();
    expect(lines).toHaveLength(2);
    expect(lines[1]?.obj).toMatchObject({ suppressed: 999 });
  });
});
