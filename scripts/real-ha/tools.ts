// The host tools provisioning needs. Missing ones fail with the Debian package to install, the same
// way the tests' requireBinary does (a missing tool is a failure, never a skip).
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const PACKAGE_OF: Record<string, string> = { debootstrap: 'debootstrap', chroot: 'coreutils' };

export function requireTool(name: string): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  throw new Error(`Provisioning the real Home Assistant needs \`${name}\`, which is not installed (Debian package ${PACKAGE_OF[name] ?? name}; \`bash .ci/run\` installs it).`);
}
