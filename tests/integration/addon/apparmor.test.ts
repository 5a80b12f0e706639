// The Supervisor loads apparmor.txt with apparmor_parser on the host; a profile that does not
// parse stops the add-on from starting. Parse it here with the real parser (Debian package
// `apparmor`), without loading it into a kernel.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requireBinary } from '../../helpers/tools.ts';

describe('apparmor.txt', () => {
  it('is accepted by apparmor_parser', () => {
    const parser = requireBinary('apparmor_parser', ['/usr/sbin/apparmor_parser', '/sbin/apparmor_parser']);
    const profile = fileURLToPath(new URL('../../../apparmor.txt', import.meta.url));
    const result = spawnSync(parser, ['--skip-kernel-load', '--skip-cache', '--quiet', profile], { encoding: 'utf8' });
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.status).toBe(0);
  });
});
