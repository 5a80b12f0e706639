// The Supervisor loads apparmor.txt with apparmor_parser on the host; a profile that does not
// parse stops the add-on from starting. Parse it here with the real parser (Debian package
// `apparmor`), without loading it into a kernel.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

  it('lets the server run no program: no exec rule of its own, and a deny that overrides the abstractions\' exec rules', () => {
    const parser = requireBinary('apparmor_parser', ['/usr/sbin/apparmor_parser', '/sbin/apparmor_parser']);
    const file = fileURLToPath(new URL('../../../apparmor.txt', import.meta.url));
    const execRules = (text: string) => [...text.matchAll(/^\s*(deny\s+|owner\s+)?(\S+)\s+([a-zA-Z]*x[a-zA-Z]*)(\s*->\s*\S+)?,\s*$/gm)].map((m) => `${(m[1] ?? '').trim()} ${m[2]} ${m[3]}`.trim());
    const nodeProfile = (text: string) => text.slice(text.indexOf('profile node'));
    // The profile as written: the server's child profile grants no x itself, and denies every x.
    const own = execRules(nodeProfile(readFileSync(file, 'utf8')));
    expect(own).toEqual(['deny /** x']);
    // As the Supervisor's parser expands it (abstractions included): the deny is still there to
    // override what an abstraction grants (deny wins over allow in AppArmor).
    const expanded = spawnSync(parser, ['--preprocess', file], { encoding: 'utf8' });
    expect(expanded.status).toBe(0);
    expect(execRules(nodeProfile(expanded.stdout))).toContain('deny /** x');
    // s6 still starts the server into the child profile.
    expect(readFileSync(file, 'utf8')).toMatch(/^\s*\/usr\/local\/bin\/node cx -> node,$/m);
  });
});
