// External tools the integration tests need (mosquitto, chromium, sshd). A missing tool is a
// failure, never a skip: .ci/run installs them, and a silently skipped test proves nothing.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export function findBinary(name: string, extra: readonly string[] = []): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const candidate of [...dirs.map((d) => join(d, name)), ...extra]) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

export function requireBinary(name: string, extra: readonly string[] = []): string {
  const found = findBinary(name, extra);
  if (!found) {
    throw new Error(`This test needs \`${name}\`, which is not installed. Run \`bash .ci/run\` once, or install the Debian package that provides it.`);
  }
  return found;
}
