// What one checkout's real HA is: its ports, token and pin, kept in .real-ha/instance.json; and the
// connection file people and tests read (.real-ha/connection.json).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { z } from 'zod';
import type { RealHaPaths } from './paths.ts';

export const Instance = z.object({
  version: z.string(),
  configInRoot: z.string(),
  ports: z.object({ http: z.number().int(), mqtt: z.number().int() }),
  token: z.string().optional(),
  /** Floors, areas, labels, mqtt entry: done once, right after onboarding. */
  layoutDone: z.boolean().default(false),
  /** The companion integration HA loaded at its start (ha-config.ts companionHash). */
  companionHash: z.string().optional(),
});
export type Instance = z.infer<typeof Instance>;

export const Connection = z.object({
  url: z.string(),
  token: z.string(),
  version: z.string(),
  /** The broker HA's mqtt integration is pointed at (nothing listens there until a test starts one). */
  mqtt: z.object({ host: z.string(), port: z.number().int() }),
});
export type Connection = z.infer<typeof Connection>;

export function readInstance(paths: RealHaPaths): Instance | undefined {
  if (!existsSync(paths.instanceFile)) return undefined;
  const parsed = Instance.safeParse(JSON.parse(readFileSync(paths.instanceFile, 'utf8')));
  return parsed.success ? parsed.data : undefined;
}

export function writeInstance(paths: RealHaPaths, instance: Instance): void {
  writeFileSync(paths.instanceFile, JSON.stringify(instance, null, 2), { mode: 0o600 });
}

export function readConnection(file: string): Connection | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = Connection.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  return parsed.success ? parsed.data : undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
