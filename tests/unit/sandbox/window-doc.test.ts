// The model writes agent code from the SDK reference alone: what a fresh or empty window answers
// must be there, matching StreamWindow (tests/unit/bus/stream-window.test.ts "empty window").
import { describe, expect, it } from 'vitest';
import { sdkReference } from '../../../server/src/sandbox/sdk/reference.ts';

describe('the SDK reference for agent.window', () => {
  it('says what an empty or just-created window answers', () => {
    const ref = sdkReference();
    const entry = ref.slice(ref.indexOf('- agent.window('), ref.indexOf('\n- ', ref.indexOf('- agent.window(') + 1));
    expect(entry).toContain('count() 0, mean/min/max/latest null');
    expect(entry).toContain('stable false (it needs at least 2 numeric values)');
    expect(entry).toMatch(/absent_for\(seconds\) counts from the last arrival, or from the window's creation/);
  });
});
