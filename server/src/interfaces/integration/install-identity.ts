// This installation's identity for the companion HA integration: a stable instance id (the config
// entry's unique id, so a second discovery updates the entry instead of adding one) and a secret
// token the integration presents as its bearer key. Generated once, kept in the data dir with
// owner-only permissions, and sent to Home Assistant only through Supervisor discovery.
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const IDENTITY_FILE = 'integration.json';

const InstallIdentity = z.object({
  instance_id: z.string().regex(/^[0-9a-f-]{36}$/),
  token: z.string().min(32),
});
export type InstallIdentity = z.infer<typeof InstallIdentity>;

/** Reads the identity, or creates it on first start (or when the file is damaged). */
export function loadInstallIdentity(dataDir: string): InstallIdentity {
  const file = join(dataDir, IDENTITY_FILE);
  if (existsSync(file)) {
    try {
      const parsed = InstallIdentity.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (parsed.success) return parsed.data;
    } catch {
      // Damaged: a new identity; the integration then asks to re-authenticate (its token is refused).
    }
  }
  const identity: InstallIdentity = { instance_id: randomUUID(), token: randomBytes(32).toString('base64url') };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(identity, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return identity;
}
