import { describe, expect, it } from 'vitest';
import { DropLog } from '../../../../server/src/agents/nodes/drop-log.ts';
import { ManualClock } from '../../../../server/src/core/clock.ts';

describe('drop log', () => {
  it('logs the first drop of a window and counts the rest into the next line', async () => {
    const clock = new ManualClock();
    const lines: { obj: Record<string, unknown>; msg: string }[] = [];
    const log = new DropLog({ warn: (obj, msg) => lines.push({ obj: obj as Record<string, unknown>, msg }) }, clock, 'dropped a node heartbeat');
    for (let i = 0; i < 500; i++) log.drop({ node: 'rpi-fake', reason: 'bad signature' });
    expect(lines).toEqual([{ obj: { node: 'rpi-fake', reason: 'bad signature' }, msg: 'dropped a node heartbeat' }]);
    await clock.advance(10_000);
    log.drop({ node: 'rpi-other', reason: 'unsigned' });
    expect(lines[1]?.obj).toEqual({ node: 'rpi-other', reason: 'unsigned', suppressed: 499 });
  });
});
