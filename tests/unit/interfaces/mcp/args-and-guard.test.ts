// `wactorz mcp` on the command line, and the guard that keeps plan approval with a person.
import { describe, expect, it } from 'vitest';
import { CliUsageError, parseCliArgs } from '../../../../server/src/interfaces/cli/args.ts';
import { approvalRefusal } from '../../../../server/src/interfaces/mcp/turn.ts';

describe('wactorz mcp', () => {
  it('takes the server URL and key from flags or the environment', () => {
    expect(parseCliArgs(['mcp'], { WACTORZ_URL: 'http://hass:8099', WACTORZ_API_KEY: 'k' })).toMatchObject({ mcp: true, url: 'http://hass:8099', apiKey: 'k', local: false });
    expect(parseCliArgs(['mcp', '--url', 'http://127.0.0.1:9000/', '--api-key', 'k2'])).toMatchObject({ mcp: true, url: 'http://127.0.0.1:9000', apiKey: 'k2' });
    expect(parseCliArgs([]).mcp).toBe(false);
  });

  it('refuses what a stdio relay cannot do', () => {
    expect(() => parseCliArgs(['mcp', '--local'])).toThrow(CliUsageError);
    expect(() => parseCliArgs(['mcp', '-m', 'hi'])).toThrow(CliUsageError);
    expect(() => parseCliArgs(['--url', 'http://x', 'mcp'])).toThrow(/mcp must come first/);
  });
});

describe('approvalRefusal', () => {
  it('refuses approving a plan and the approval-skipping "!" forms', () => {
    for (const text of ['/plans approve 3f2a', '/PLANS Approve x', 'pipeline!: lights on at dusk', 'plan! do it', 'coordinate !: x', '@planner! build it'])
      expect(approvalRefusal(text), text).toContain('is for a person');
  });

  it('lets everything else through, proposals and rejections included', () => {
    for (const text of ['/plans', '/plans reject 3f2a', 'pipeline: lights on at dusk', '@planner build it', 'approve the plan', 'turn on the lamp'])
      expect(approvalRefusal(text), text).toBeUndefined();
  });
});
