// The real Home Assistant for tests: the same provisioning as `npm run ha:real` (cached per pin,
// minutes only on a fresh machine), started if it is not running and stopped again afterwards if
// this test process started it. Missing debootstrap or chroot fails the test, as any missing tool.
import type { Connection } from '../../scripts/real-ha/instance.ts';
import { realHaPaths } from '../../scripts/real-ha/paths.ts';
import { runningPid } from '../../scripts/real-ha/process.ts';
import { ensureRealHa, stopRealHa } from '../../scripts/real-ha/real-ha.ts';
import { realTarget, type HaTarget } from './ha-target.ts';
import { requireBinary } from './tools.ts';

/** Cold provisioning (Debian root + venv) on a 2-core machine, with room to spare. */
export const PROVISION_TIMEOUT_MS = 9 * 60_000;

export interface RealHa {
  connection: Connection;
  target: HaTarget;
  /** Stops HA if this process started it. */
  release(): Promise<void>;
}

export async function useRealHa(): Promise<RealHa> {
  requireBinary('debootstrap', ['/usr/sbin/debootstrap']);
  requireBinary('chroot', ['/usr/sbin/chroot']);
  const paths = realHaPaths();
  const wasRunning = runningPid(paths) !== undefined;
  const log = (line: string) => console.log(`[real-ha] ${line}`);
  const connection = await ensureRealHa({ paths, log });
  const target = realTarget(connection, { stop: () => stopRealHa(paths), start: () => ensureRealHa({ paths, log }) });
  return {
    connection,
    target,
    async release() {
      if (!wasRunning) await stopRealHa(paths);
    },
  };
}
