// `npm run check:container`: the add-on image's runtime, checked without Docker. Builds, lays out
// the pruned /opt/wactorz in a temp dir (container-layout.ts), starts it with the s6 run script's
// own command and environment against a fake Supervisor (fake-supervisor.ts: MQTT service,
// discovery, the /core proxy to the demo home grown to a 300-entity house) and a scripted fake LLM, then checks what a user
// would see: a healthy /api/health, the panel, a chat turn, the edge bundle /deploy sends, a
// /deploy from the layout to a real sshd without OpenSSH client programs (check-deploy.ts), a clean
// stop. Records the runtime tree's size and the idle RSS. Writes test-results/container-check.json
// (vitest's count fields, for scripts/test-summary.mjs) and exits 1 when a check failed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startEmbeddedBroker } from '../server/src/bus/embedded-broker.ts';
import { DemoHome } from '../server/src/ha/demo/demo-home.ts';
import { FAKE_KEYS, reply, startFakeLlm } from '../tests/helpers/fake-llm/index.ts';
import { freePort } from '../tests/helpers/brokers.ts';
import { addGeneratedHome } from '../tests/helpers/generated-home.ts';
import { checkDeployFromLayout } from './check-deploy.ts';
import { devOnlyPackages, largestPackages, layOut, runScript, strayFiles, treeBytes } from './container-layout.ts';
import { startFakeSupervisor, supervisorPreload } from './fake-supervisor.ts';

const repo = join(import.meta.dirname, '..');
const checks: { name: string; ok: boolean; detail: string }[] = [];
const check = (name: string, ok: boolean, detail = '') => {
  checks.push({ name, ok, detail });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
};
const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rssMb = (pid: number) => Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

const tmp = mkdtempSync(join(tmpdir(), 'wactorz-container-'));
const measured: Record<string, unknown> = {};
const stops: (() => Promise<unknown>)[] = [];
try {
  console.log('== npm run build');
  if (spawnSync('npm', ['run', 'build'], { cwd: repo, stdio: 'inherit' }).status !== 0) throw new Error('npm run build failed');

  console.log(`== production layout in ${tmp}/opt/wactorz`);
  const opt = layOut(repo, tmp);
  const dev = devOnlyPackages(opt, join(repo, 'package-lock.json'));
  check('no dev-only packages in node_modules', dev.length === 0, dev.slice(0, 5).join(', '));
  const stray = strayFiles(opt);
  check('no source maps, declarations, sources or tests in the tree', stray.length === 0, stray.slice(0, 5).join(', '));
  measured.treeMb = mb(treeBytes(opt));
  measured.nodeModulesMb = mb(treeBytes(join(opt, 'node_modules')));
  measured.largest = largestPackages(join(opt, 'node_modules')).map(([n, s]) => `${n} ${s.toFixed(1)} MB`);
  console.log(`runtime tree ${String(measured.treeMb)} MB (node_modules ${String(measured.nodeModulesMb)} MB; largest: ${(measured.largest as string[]).join(', ')})`);

  // The edge bundle, loaded the way /deploy loads it: by the compiled bundle module of the layout.
  const staged = join(tmp, 'deploy-staging');
  const bundleRun = spawnSync(process.execPath, ['--input-type=module', '-e', `import { writeEdgeBundle } from './dist/server/agents/nodes/bundle.js'; console.log(writeEdgeBundle(${JSON.stringify(staged)}).length);`], { cwd: opt, encoding: 'utf8' });
  const stagedMain = (() => {
    try {
      return readFileSync(join(staged, 'edge-runner/src/main.ts'), 'utf8');
    } catch {
      return '';
    }
  })();
  check('/deploy finds the edge bundle in the layout', bundleRun.status === 0 && stagedMain === readFileSync(join(repo, 'edge-runner/src/main.ts'), 'utf8'), bundleRun.status === 0 ? `${bundleRun.stdout.trim()} files from dist/edge-bundle.json` : bundleRun.stderr.trim().split('\n')[0]);

  console.log('== fake Supervisor, demo home, MQTT broker, fake LLM');
  const token = randomBytes(24).toString('hex');
  const broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0 });
  stops.push(() => broker.close());
  const home = new DemoHome({ token });
  await home.start();
  stops.push(() => home.stop());
  // The idle-memory goal is for a home of 300 entities: the demo's 23 plus a generated house.
  measured.entities = home.core.states.all().length + addGeneratedHome(home, 300);
  const supervisor = await startFakeSupervisor({ token, mqtt: { host: '127.0.0.1', port: broker.port }, core: { url: home.url, token } });
  stops.push(() => supervisor.close());
  const llm = await startFakeLlm();
  stops.push(() => llm.close());
  const answer = 'The porch light is on.';
  llm.respond(() => reply.text(answer));

  const data = join(tmp, 'data');
  mkdirSync(data);
  const apiKey = randomBytes(24).toString('hex');
  // The options as the Supervisor writes them: only what the user set.
  writeFileSync(join(data, 'options.json'), JSON.stringify({ log_level: 'info', api_key: apiKey, llm_provider: 'anthropic', anthropic_api_key: FAKE_KEYS.anthropic, anthropic_base_url: llm.anthropicBaseUrl }));
  const script = runScript(repo, data);
  const port = await freePort(); // the image's 8099 may be taken on this machine
  const env = {
    PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
    HOME: tmp,
    SUPERVISOR_TOKEN: token,
    ...script.env,
    WACTORZ_PORT: String(port),
    NODE_OPTIONS: `--import=${supervisorPreload(join(tmp, 'supervisor-host.mjs'), supervisor.port)}`,
  };
  console.log(`== ${script.argv.join(' ')} (in ${opt}, port ${port})`);
  const child = spawn(script.argv[0], script.argv.slice(1), { cwd: opt, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  let gone = false;
  void exited.then(() => (gone = true));
  stops.push(async () => {
    if (!gone) child.kill('SIGKILL');
    await exited;
  });

  const base = `http://127.0.0.1:${port}`;
  let health: { status?: string; broker?: { state?: string }; ha?: { state?: string } } = {};
  // A bound on a hang, not a speed assertion: the start-up normally takes a few seconds.
  for (let i = 0; i < 600 && !gone && health.status !== 'ok'; i++) {
    await sleep(100);
    health = await fetch(`${base}/api/health`).then((r) => (r.ok ? (r.json() as Promise<typeof health>) : {}), () => ({}));
  }
  check('/api/health is ok (broker from /services/mqtt, HA through /core)', health.status === 'ok', `status ${health.status ?? 'none'}, broker ${health.broker?.state ?? '?'}, ha ${health.ha?.state ?? '?'}${gone ? `; the server exited:\n${output}` : ''}`);
  if (gone) throw new Error('the server exited during start-up');

  await sleep(5000); // settle: start-up allocations collected, nothing in flight
  measured.idleRssMb = Math.round(rssMb(child.pid!));
  console.log(`idle RSS ${String(measured.idleRssMb)} MB`);

  const auth = { authorization: `Bearer ${apiKey}` };
  const index = await fetch(`${base}/`, { headers: auth });
  const html = await index.text();
  const asset = /(?:src|href)="\.?\/?(assets\/[^"]+\.js)"/.exec(html)?.[1];
  // Bodies are read to the end: a response left unread holds its connection open on the server.
  const assetStatus = asset ? await fetch(`${base}/${asset}`, { headers: auth }).then(async (r) => (await r.arrayBuffer(), r.status)) : 0;
  check('the panel: index and its script', index.status === 200 && /<!doctype html>/i.test(html) && assetStatus === 200, `index ${index.status}, ${asset ?? 'no script'} ${assetStatus}`);

  const chat = await fetch(`${base}/api/chat`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Is the porch light on?' }) });
  const turn = (await chat.json().catch(() => ({}))) as { reply?: string };
  check('a chat turn answers through the LLM', chat.status === 200 && turn.reply?.includes(answer) === true && llm.requests.length > 0, `HTTP ${chat.status}, reply ${JSON.stringify(turn.reply ?? turn)}, ${llm.requests.length} LLM requests`);
  check('announced to Supervisor discovery', supervisor.discovery.some((d) => d.service === 'mcp'), supervisor.discovery.map((d) => d.service).join(', ') || 'nothing');
  // The companion integration finds the add-on through discovery and speaks with the token it got there.
  const announced = supervisor.discovery.find((d) => d.service === 'wactorz')?.config as { port?: number; token?: string } | undefined;
  const info = announced?.token ? await fetch(`${base}/api/integration/info`, { headers: { authorization: `Bearer ${announced.token}` } }).then(async (r) => (await r.arrayBuffer(), r)) : undefined;
  check('the companion integration: announced, and its token opens its API', info?.status === 200 && announced?.port === port, announced ? `port ${String(announced.port)}, info HTTP ${String(info?.status)}` : 'not announced');
  check('the companion integration ships in the image', existsSync(join(opt, 'addon/integration/custom_components/wactorz/manifest.json')), join(opt, 'addon/integration/custom_components/wactorz'));
  measured.rssAfterChatMb = Math.round(rssMb(child.pid!));

  console.log('== /deploy from the layout to a real sshd, no OpenSSH client on PATH');
  const deployed = await checkDeployFromLayout(opt, tmp, `mqtt://127.0.0.1:${broker.port}`).catch((err: unknown) => {
    const failed = { ok: false, detail: err instanceof Error ? err.message : String(err) };
    return { noOpenSsh: failed, hostKey: failed, running: failed };
  });
  check('/deploy runs with no OpenSSH program (ssh2 from the pruned node_modules)', deployed.noOpenSsh.ok, deployed.noOpenSsh.detail);
  check('/deploy stops at the first host key, showing the fingerprint sshd has', deployed.hostKey.ok, deployed.hostKey.detail);
  check('/deploy uploads the bundle and the edge runner starts on the node', deployed.running.ok, deployed.running.detail);

  child.kill('SIGTERM');
  const code = await exited;
  check('SIGTERM stops it cleanly (exit 0)', code === 0, `exit ${code}`);
  if (checks.some((c) => !c.ok)) console.log(`-- server output --\n${output}`);
} catch (err) {
  check('the check ran to the end', false, err instanceof Error ? err.message : String(err));
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  rmSync(tmp, { recursive: true, force: true });
}

const passed = checks.filter((c) => c.ok).length;
const failed = checks.length - passed;
const goals = `runtime tree ${String(measured.treeMb)} MB (goal <= 90 MB), idle RSS ${String(measured.idleRssMb)} MB with ${String(measured.entities)} entities (goal <= 128 MB with 300)`;
// Not in the "N passed, N failed" form: .ci/run prints that line once, for everything.
console.log(`${goals}\ncontainer check: ${failed === 0 ? `all ${passed} checks ok` : `${failed} of ${checks.length} checks FAILED`}`);
mkdirSync(join(repo, 'test-results'), { recursive: true });
writeFileSync(join(repo, 'test-results/container-check.json'), JSON.stringify({ numPassedTests: passed, numFailedTests: failed, node: process.version, arch: process.arch, measured, checks }, null, 2));
process.exit(failed === 0 ? 0 : 1);
