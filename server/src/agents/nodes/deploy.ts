// /deploy over SSH, in-process with the ssh2 library (ssh-session.ts): the add-on image has no
// OpenSSH programs and may run none. Host keys are pinned in Wactorz's own known_hosts (OpenSSH's
// format, so a user can read and edit it): the first deploy to a host shows the fingerprint of the
// ed25519 key it offers and stops until the user confirms exactly that fingerprint; a changed key
// is refused before authentication. Authentication is by an ed25519 key pair generated for Wactorz
// in the data dir (the user adds its public key to the node's authorized_keys): no password is asked
// or stored. Over one connection the node is probed first (Node.js 24 on the PATH, a writable
// install dir, which service managers the user may use: node-probe.ts) and refused with the reason
// before anything is sent; then it gets the edge bundle (bundle.ts) and its secret (mode 600) over
// SFTP, npm install, and the runner started under systemd or cron (supervision.ts, supervise.ts).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync, appendFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundleEntries } from './bundle.ts';
import type { NodeSecretStore } from './secrets.ts';
import { parseProbe, PROBE_SCRIPT, requirementProblem, type NodeProbe } from './node-probe.ts';
import { fetchHostKey, fingerprintOf, generateKeyPair, SshSession } from './ssh-session.ts';
import { superviseRunner, unsuperviseRunner } from './supervise.ts';
import { describeSupervision, planSupervision, startScript, unitFile, type SupervisionPlan, type SupervisorKind } from './supervision.ts';

export interface DeployTarget {
  node: string;
  host: string;
  user: string;
  port?: number;
  /** Where on the node the runner lives (default: wactorz-edge in the user's home). */
  installDir?: string;
  /** The broker URL as the node reaches it (the LAN address, never localhost of the server). */
  broker: string;
  root?: string;
  /** The node's Node.js 24 binary (default: node on its PATH). */
  nodeBin?: string;
}

export interface DeployOptions {
  /** The server's data dir: the SSH key pair and known_hosts live in <dataDir>/ssh. */
  dataDir: string;
  secrets: NodeSecretStore;
  /** Tests only: skip `npm install` on the node (the start command still runs). */
  skipInstall?: boolean;
  /**
   * Which supervisors the deploy may install (default: all, best first). Tests narrow it, so a
   * developer's machine that is its own test node keeps its crontab and units.
   */
  supervisors?: readonly SupervisorKind[];
}

export interface DeployResult {
  /** The absolute install dir on the node. */
  installDir: string;
  files: number;
  publicKey: string;
  /** What brings the runner back after a reboot or a crash ('none': nothing). */
  supervision: SupervisionPlan['kind'];
  /** The same, in a sentence for the owner. */
  supervisionText: string;
}

/** The node cannot take the runner (old or missing Node.js, no writable install dir); nothing was uploaded. */
export class NodeNotReady extends Error {
  override readonly name = 'NodeNotReady';
}

export class HostKeyNotConfirmed extends Error {
  override readonly name = 'HostKeyNotConfirmed';
  readonly fingerprint: string;
  constructor(host: string, fingerprint: string) {
    super(`The host key of ${host} is not confirmed yet. Its fingerprint is ${fingerprint}. Check it on the node (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) and confirm it to deploy.`);
    this.fingerprint = fingerprint;
  }
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export class EdgeDeployer {
  readonly #o: DeployOptions;
  readonly #dir: string;

  constructor(options: DeployOptions) {
    this.#o = options;
    this.#dir = join(options.dataDir, 'ssh');
  }

  get knownHostsFile(): string {
    return join(this.#dir, 'known_hosts');
  }

  get keyFile(): string {
    return join(this.#dir, 'id_ed25519');
  }

  /** Wactorz's public key (created on first use), for the node's authorized_keys. */
  async publicKey(): Promise<string> {
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    if (!existsSync(this.keyFile)) {
      const pair = await generateKeyPair('wactorz');
      writeFileSync(this.keyFile, pair.privateKey, { mode: 0o600 });
      writeFileSync(`${this.keyFile}.pub`, `${pair.publicKey}\n`, { mode: 0o644 });
    }
    return readFileSync(`${this.keyFile}.pub`, 'utf8').trim();
  }

  /** The host's ed25519 key as offered now, its SHA256 fingerprint for the user to compare, and its known_hosts line. */
  async scanHostKey(host: string, port = 22): Promise<{ fingerprint: string; line: string }> {
    const blob = await fetchHostKey({ host, port });
    return { fingerprint: fingerprintOf(blob), line: `${hostToken(host, port)} ssh-ed25519 ${blob.toString('base64')}` };
  }

  isConfirmed(host: string, port = 22): Promise<boolean> {
    return Promise.resolve(this.#pinned(host, port).length > 0);
  }

  /** Trusts the host's key only when it still has the fingerprint the user read and confirmed. */
  async confirmHostKey(host: string, port: number, fingerprint: string): Promise<void> {
    const scanned = await this.scanHostKey(host, port);
    if (scanned.fingerprint !== fingerprint) throw new Error(`the host key of ${host} is ${scanned.fingerprint}, not the confirmed ${fingerprint}; nothing was trusted`);
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    appendFileSync(this.knownHostsFile, `${scanned.line}\n`, { mode: 0o600 });
  }

  /** The confirmed ed25519 key blobs of host:port in known_hosts (plain host names, as confirmHostKey writes them). */
  #pinned(host: string, port: number): Buffer[] {
    if (!existsSync(this.knownHostsFile)) return [];
    const token = hostToken(host, port);
    return readFileSync(this.knownHostsFile, 'utf8')
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter(([hosts, type, key]) => hosts !== undefined && !hosts.startsWith('#') && hosts.split(',').includes(token) && type === 'ssh-ed25519' && key !== undefined)
      .map(([, , key]) => Buffer.from(key, 'base64'));
  }

  /**
   * Probes the node (Node.js, install dir, service managers), uploads the runner and the node's
   * secret, installs, and starts it under the best supervisor the node allows (supervision.ts).
   * Returns what was done, for the user.
   */
  async deploy(t: DeployTarget): Promise<DeployResult> {
    checkNodeName(t.node);
    const port = t.port ?? 22;
    const publicKey = await this.publicKey();
    const session = await this.#open(t, port, 'deploy');
    try {
      const node = t.nodeBin ?? 'node';
      const probe = await probeNode(session, t.installDir ?? 'wactorz-edge', node);
      const problem = requirementProblem(probe, { host: t.host, nodeBin: node, needNpm: !this.#o.skipInstall });
      if (problem) throw new NodeNotReady(problem);
      const dir = probe.installDir;
      const plan = planSupervision(probe, t.node, this.#o.supervisors);
      const bundle = bundleEntries();
      const dirs = new Set(['data', ...bundle.map(([f]) => dirname(f)).filter((d) => d !== '.')]);
      await session.run(`mkdir -p ${[...dirs].map((d) => quote(`${dir}/${d}`)).join(' ')} && chmod 700 ${quote(dir)}`, 'creating the install directory');

      const secret = this.#o.secrets.ensure(t.node, { host: t.host, sshUser: t.user, sshPort: port, installDir: dir });
      const command = { node: probe.nodePath, dir, args: ['--broker', t.broker, '--name', t.node, '--secret-file', `${dir}/secret`, '--data-dir', `${dir}/data`, '--root', t.root ?? 'wactorz'] };
      await session.upload([
        ...bundle.map(([f, text]) => ({ path: `${dir}/${f}`, data: text, mode: 0o644 })),
        { path: `${dir}/secret`, data: secret, mode: 0o600 },
        // start.sh is written whatever the plan: cron runs it, and a user can start the runner by hand with it.
        { path: `${dir}/start.sh`, data: startScript(command), mode: 0o755 },
        ...(plan.kind === 'systemd' || plan.kind === 'systemd-user' ? [{ path: `${dir}/${plan.unit}`, data: unitFile(plan, t.node, command), mode: 0o644 }] : []),
      ]);
      // SFTP sets the mode only on a new file: a secret left by an earlier deploy is tightened here.
      await session.run(`chmod 600 ${quote(dir)}/secret`, 'protecting the secret');
      if (!this.#o.skipInstall) await session.run(`cd ${quote(dir)} && npm install --omit=dev --no-audit --no-fund`, 'npm install', 600_000);
      const supervision = await superviseRunner(session, plan, t.node, dir);
      // Recorded through ensure(), the one call the deployer makes on the node records.
      this.#o.secrets.ensure(t.node, { supervision: supervision.kind });
      return { installDir: dir, files: bundle.length, publicKey, supervision: supervision.kind, supervisionText: describeSupervision(supervision, probe.user) };
    } finally {
      session.close();
    }
  }

  /**
   * Stops the node's runner and removes its unit or crontab entries; with `purge`, deletes the
   * install dir too (only one that holds a runner: start.sh and edge-runner/). `beforeStop` runs
   * once the node is reached over SSH and while its runner still runs (/nodes remove moves the
   * node's agents away then, so an unreachable node is known before anything changed).
   * Returns what was done on the node, a line each.
   */
  async undeploy(t: Pick<DeployTarget, 'node' | 'host' | 'user' | 'port' | 'installDir'>, o: { purge?: boolean; beforeStop?: () => Promise<void> } = {}): Promise<string[]> {
    checkNodeName(t.node);
    const port = t.port ?? 22;
    await this.publicKey();
    const session = await this.#open(t, port, 'undeploy');
    try {
      const probe = await probeNode(session, t.installDir ?? 'wactorz-edge', 'node');
      await o.beforeStop?.();
      const done = await unsuperviseRunner(session, t.node, probe.installDir);
      if (o.purge) done.push((await session.exec(`sh -c ${quote(PURGE_SCRIPT)} wactorz-purge ${quote(probe.installDir)}`)).stdout.trim());
      this.#o.secrets.recordUndeploy(t.node);
      return done.filter(Boolean);
    } finally {
      session.close();
    }
  }

  /** Drops host:port's pinned keys from known_hosts (a later deploy asks to confirm the fingerprint again). */
  forgetHostKey(host: string, port = 22): boolean {
    if (!existsSync(this.knownHostsFile)) return false;
    const token = hostToken(host, port);
    const lines = readFileSync(this.knownHostsFile, 'utf8').split('\n');
    const kept = lines.filter((l) => {
      const [hosts] = l.trim().split(/\s+/);
      return hosts === undefined || hosts.startsWith('#') || !hosts.split(',').includes(token);
    });
    if (kept.length === lines.length) return false;
    writeFileSync(`${this.knownHostsFile}.tmp`, kept.join('\n'), { mode: 0o600 });
    renameSync(`${this.knownHostsFile}.tmp`, this.knownHostsFile);
    return true;
  }

  async #open(t: Pick<DeployTarget, 'host' | 'user'>, port: number, what: string): Promise<SshSession> {
    const pinned = this.#pinned(t.host, port);
    if (pinned.length === 0) throw new HostKeyNotConfirmed(t.host, (await this.scanHostKey(t.host, port)).fingerprint);
    return SshSession.open({
      host: t.host,
      port,
      user: t.user,
      privateKey: readFileSync(this.keyFile, 'utf8'),
      pinned,
      changedKeyMessage: `the host key of ${t.host} does not match the confirmed one: refusing to ${what} (if the node was reinstalled, remove it from ${this.knownHostsFile} and confirm the new key)`,
    });
  }
}

// The runner's own rule (edge-runner/src/args.ts); the name also goes into a unit name and shell commands.
const NODE_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
function checkNodeName(node: string): void {
  if (!NODE_NAME.test(node)) throw new Error(`the node name "${node}" must look like rpi-kitchen (lowercase letters, digits, - and _)`);
}

/** Deletes the install dir ($1) only when it holds a runner, so a mistyped --install-dir never empties a home. */
const PURGE_SCRIPT = 'd="$1"; if [ -f "$d/start.sh" ] && [ -d "$d/edge-runner" ]; then rm -rf "$d" && echo "deleted $d"; elif [ -e "$d" ]; then echo "left $d: it does not look like an edge runner\'s install dir"; fi';

const hostToken = (host: string, port: number) => (port === 22 ? host : `[${host}]:${port}`);

async function probeNode(session: SshSession, installDir: string, nodeBin: string): Promise<NodeProbe> {
  return parseProbe(await session.run(`sh -c ${quote(PROBE_SCRIPT)} wactorz-probe ${quote(installDir)} ${quote(nodeBin)}`, 'inspecting the node', 60_000));
}
