// The container check's /deploy step: the deployer of the pruned /opt/wactorz layout (its compiled
// dist/ and pruned node_modules, as the image has them) deploys to a real sshd on loopback with a
// PATH holding only Node, so no OpenSSH client program can be used, as in the image. The first
// deploy must stop at the host key with the fingerprint sshd really has; once confirmed, the edge
// bundle and the secret go over SFTP and the start command runs; the edge runner then starts on
// the "node" (with the layout's node_modules) and its heartbeat reaches the broker.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import mqtt from 'mqtt';
import { fingerprintOfFile, newHostKey, startSshd } from '../tests/helpers/sshd.ts';

export interface DeployCheck {
  /** The PATH the deployer ran with had no OpenSSH client program. */
  noOpenSsh: { ok: boolean; detail: string };
  /** The first deploy stopped at the host key, showing sshd's real fingerprint. */
  hostKey: { ok: boolean; detail: string };
  /** The confirmed deploy uploaded the bundle and the runner's heartbeat reached the broker. */
  running: { ok: boolean; detail: string };
}

const driver = (deployModule: string) => `
import { EdgeDeployer, HostKeyNotConfirmed } from ${JSON.stringify(deployModule)};
const [dataDir, authorized, target] = [process.argv[2], process.argv[3], JSON.parse(process.argv[4])];
const { writeFileSync } = await import('node:fs');
// supervisors: [] keeps this machine's own crontab and units out of the check (the runner is started only).
const deployer = new EdgeDeployer({ dataDir, secrets: { ensure: () => 'check-container-secret' }, skipInstall: true, supervisors: [] });
writeFileSync(authorized, (await deployer.publicKey()) + '\\n');
const refused = await deployer.deploy(target).then(() => undefined, (e) => e);
if (!(refused instanceof HostKeyNotConfirmed)) throw new Error('the first deploy was not stopped at the host key: ' + String(refused));
await deployer.confirmHostKey(target.host, target.port, refused.fingerprint);
const done = await deployer.deploy(target);
console.log(JSON.stringify({ fingerprint: refused.fingerprint, files: done.files }));
`;

export async function checkDeployFromLayout(opt: string, tmp: string, brokerUrl: string): Promise<DeployCheck> {
  const dir = join(tmp, 'deploy');
  const pi = join(dir, 'pi');
  mkdirSync(pi, { recursive: true });
  // The node has npm install skipped: the runner uses the layout's pruned node_modules.
  symlinkSync(join(opt, 'node_modules'), join(pi, 'node_modules'));
  const authorized = join(dir, 'authorized_keys');
  writeFileSync(authorized, '');
  const hostKey = newHostKey(join(dir, 'host_key'));
  const sshd = await startSshd(dir, hostKey, authorized);
  const watcher = await mqtt.connectAsync(brokerUrl);
  const beats: string[] = [];
  watcher.on('message', (topic) => beats.push(topic));
  await watcher.subscribeAsync('wactorz/nodes/check-pi/heartbeat');
  try {
    const path = dirname(process.execPath);
    const clients = ['ssh', 'scp', 'ssh-keygen', 'ssh-keyscan', 'sftp'].filter((t) => path.split(delimiter).some((d) => existsSync(join(d, t))));
    const target = { node: 'check-pi', host: '127.0.0.1', user: userInfo().username, port: sshd.port, installDir: pi, broker: brokerUrl, nodeBin: process.execPath };
    const script = join(dir, 'deploy-driver.mjs');
    writeFileSync(script, driver(pathToFileURL(join(opt, 'dist/server/agents/nodes/deploy.js')).href));
    const run = spawnSync(process.execPath, ['--no-node-snapshot', script, join(dir, 'server-data'), authorized, JSON.stringify(target)], { cwd: opt, env: { PATH: path, HOME: dir }, encoding: 'utf8', timeout: 120_000 });
    const out = (() => {
      try {
        return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '') as { fingerprint: string; files: number };
      } catch {
        return undefined;
      }
    })();
    const expected = fingerprintOfFile(`${hostKey}.pub`);
    // A bound on a hang, not a speed assertion: the runner heartbeats at its start.
    for (let i = 0; i < 300 && out && beats.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    const uploaded = existsSync(join(pi, 'edge-runner/src/main.ts')) && readFileSync(join(pi, 'secret'), 'utf8') === 'check-container-secret';
    const failure = run.status === 0 ? '' : `; the deployer failed: ${(run.stderr || run.stdout).trim().split('\n').slice(-3).join(' | ')}`;
    return {
      noOpenSsh: { ok: clients.length === 0 && run.status === 0, detail: `PATH=${path}${clients.length ? ` has ${clients.join(', ')}` : ''}${failure}` },
      hostKey: { ok: out?.fingerprint === expected, detail: `shown ${out?.fingerprint ?? 'nothing'}, sshd has ${expected}` },
      running: { ok: uploaded && beats.length > 0, detail: `${out?.files ?? 0} files, secret ${uploaded ? 'in place' : 'missing'}, ${beats.length} heartbeats${beats.length === 0 && existsSync(join(pi, 'edge.log')) ? `; edge.log: ${readFileSync(join(pi, 'edge.log'), 'utf8').trim().split('\n').slice(-3).join(' | ')}` : ''}` },
    };
  } finally {
    const pidFile = join(pi, 'edge.pid');
    if (existsSync(pidFile)) {
      try {
        process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await watcher.endAsync();
    await sshd.stop();
  }
}
