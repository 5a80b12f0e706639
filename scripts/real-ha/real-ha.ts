// `ensureRealHa()`: a real Home Assistant of the pinned version answering on loopback, onboarded,
// laid out, with its connection written to .real-ha/connection.json. Builds what is missing
// (Debian root, venv, config, onboarding) and reuses what is there; `npm run ha:real` and the
// real-HA tests both call it. `stopRealHa()` stops the process and keeps everything else.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { companionHash, CONFIG_DOMAINS, writeConfig } from './ha-config.ts';
import { layOutHome, promoteHttpConfig, removeCloudEntries } from './home-layout.ts';
import { freePort, readInstance, writeInstance, type Connection, type Instance } from './instance.ts';
import { withLock } from './lock.ts';
import { onboard, ownerCreated } from './onboard.ts';
import { realHaPaths, type RealHaPaths } from './paths.ts';
import { HA_VERSION } from './pin.ts';
import { runningPid, startProcess, stopProcess, waitFor } from './process.ts';
import { ensureRoot } from './rootfs.ts';
import { ensureVenv } from './venv.ts';

export interface EnsureOptions {
  paths?: RealHaPaths;
  log?: (line: string) => void;
}

export async function ensureRealHa({ paths = realHaPaths(), log = () => {} }: EnsureOptions = {}): Promise<Connection> {
  if (process.getuid?.() !== 0) throw new Error('Provisioning the real Home Assistant needs root (debootstrap and chroot).');
  mkdirSync(paths.stateDir, { recursive: true });
  return withLock(paths.lockDir, 15 * 60_000, async () => {
    await ensureRoot(paths, log);
    await ensureVenv(paths, CONFIG_DOMAINS, log);
    try {
      return await startAndOnboard(paths, log);
    } catch (err) {
      // A config this script cannot log into (its token lost or revoked) is rebuilt once.
      if (!(err instanceof StaleInstance)) throw err;
      log(`${err.message}: rebuilding the HA config`);
      await stopProcess(paths);
      rmSync(paths.instanceFile, { force: true });
      return startAndOnboard(paths, log);
    }
  });
}

export async function stopRealHa(paths: RealHaPaths = realHaPaths()): Promise<boolean> {
  return stopProcess(paths);
}

class StaleInstance extends Error {}

async function freshInstance(paths: RealHaPaths): Promise<Instance> {
  await stopProcess(paths);
  rmSync(paths.configOnHost, { recursive: true, force: true });
  return { version: HA_VERSION, configInRoot: paths.configInRoot, ports: { http: await freePort(), mqtt: await freePort() }, layoutDone: false };
}

async function startAndOnboard(paths: RealHaPaths, log: (line: string) => void): Promise<Connection> {
  const existing = readInstance(paths);
  let instance = existing && existing.version === HA_VERSION && existing.configInRoot === paths.configInRoot && existsSync(paths.configOnHost) ? existing : await freshInstance(paths);
  writeInstance(paths, instance);
  writeConfig(paths.configOnHost, instance.ports);
  const url = `http://127.0.0.1:${instance.ports.http}`;
  const companion = companionHash();
  if (runningPid(paths) !== undefined && instance.companionHash !== companion) {
    log('restarting Home Assistant: the companion integration changed since it started');
    await stopProcess(paths);
  }
  if (runningPid(paths) === undefined) {
    log(`starting Home Assistant ${HA_VERSION} on ${url}`);
    startProcess(paths);
    instance = { ...instance, companionHash: companion };
    writeInstance(paths, instance);
  }
  const owner = await waitFor(paths, 'its HTTP API answering', () => ownerCreated(url), 180_000);
  if (!owner) {
    log('onboarding through HA\'s onboarding and auth APIs');
    instance = { ...instance, token: (await onboard(url)).token, layoutDone: false };
    writeInstance(paths, instance);
  }
  const token = instance.token;
  if (!token) throw new StaleInstance('HA is onboarded but this checkout has no token for it');
  const ok = await fetch(`${url}/api/`, { headers: { authorization: `Bearer ${token}` } });
  if (ok.status === 401) throw new StaleInstance('HA refuses the token this checkout kept');
  await promoteHttpConfig(url, token);
  await waitFor(paths, 'state RUNNING with the demo entities', () => runningWithDemo(url, token), 120_000);
  if (!instance.layoutDone) {
    log('placing the demo devices in floors and areas; adding the mqtt entry');
    await layOutHome(url, token, instance.ports.mqtt);
    instance = { ...instance, layoutDone: true };
    writeInstance(paths, instance);
  }
  const removed = await removeCloudEntries(url, token);
  if (removed.length > 0) log(`removed the cloud integrations onboarding added: ${removed.join(', ')}`);
  const connection: Connection = { url, token, version: HA_VERSION, mqtt: { host: '127.0.0.1', port: instance.ports.mqtt } };
  writeFileSync(paths.connectionFile, JSON.stringify(connection, null, 2), { mode: 0o600 });
  return connection;
}

async function runningWithDemo(url: string, token: string): Promise<true | undefined> {
  try {
    const headers = { authorization: `Bearer ${token}` };
    const config = (await (await fetch(`${url}/api/config`, { headers })).json()) as { state?: string };
    if (config.state !== 'RUNNING') return undefined;
    const states = (await (await fetch(`${url}/api/states`, { headers })).json()) as { entity_id: string }[];
    return states.some((s) => s.entity_id.startsWith('light.')) && states.some((s) => s.entity_id === 'binary_sensor.front_door') ? true : undefined;
  } catch {
    return undefined;
  }
}
