// The panel's small models for grants and node supervision: what a typed device becomes as a grant
// (the server validates it), and the Nodes view's label and tooltip for each supervision.
import { describe, expect, it } from 'vitest';
import { grantFor } from '../../../panel/src/data/grants.ts';
import { supervisionLabel } from '../../../panel/src/data/node-supervision.ts';

describe('grantFor', () => {
  it('turns a domain or an entity into its sensitive grant and keeps a whole grant as typed', () => {
    expect(grantFor(' lock.front_door ')).toBe('ha:sensitive:lock.front_door');
    expect(grantFor('cover')).toBe('ha:sensitive:cover');
    expect(grantFor('ha:sensitive')).toBe('ha:sensitive');
    expect(grantFor('HA:sensitive:lock')).toBe('HA:sensitive:lock');
    // Not a valid grant: left for the server's refusal, which names the valid forms.
    expect(grantFor('light.kitchen')).toBe('ha:sensitive:light.kitchen');
  });
});

describe('supervisionLabel', () => {
  it('says which supervisions bring the runner back after a reboot', () => {
    expect(supervisionLabel({ supervision: 'systemd' })).toMatchObject({ text: 'systemd', survivesReboot: true, tooltip: expect.stringContaining('comes back after a reboot') as unknown });
    expect(supervisionLabel({ supervision: 'systemd-user' })).toMatchObject({ text: 'systemd --user', survivesReboot: true });
    expect(supervisionLabel({ supervision: 'cron' })).toMatchObject({ text: 'cron', survivesReboot: true, tooltip: expect.stringContaining('comes back after a reboot') as unknown });
    expect(supervisionLabel({ supervision: 'none' })).toMatchObject({ text: 'not supervised', survivesReboot: false, tooltip: expect.stringContaining('Will not come back after a reboot: see DOCS') as unknown });
  });

  it('shows a removed node as removed, with the date, whatever its supervision was', () => {
    const label = supervisionLabel({ supervision: 'systemd', undeployed_at: '2026-12-01T10:00:00.000Z' });
    expect(label).toMatchObject({ text: 'removed', survivesReboot: false });
    expect(label?.tooltip).toContain('Removed on 2026-12-01');
  });

  it('shows nothing when the supervision is unknown (the local node, an old deploy)', () => {
    expect(supervisionLabel({})).toBeUndefined();
    expect(supervisionLabel({ supervision: null })).toBeUndefined();
  });
});
