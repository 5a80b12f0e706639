// Starts the real server (`server/src/main.ts`) as a child process on free ports with its own
// data dir, for tests of start-up, shutdown and durability.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './brokers.ts';

export const MAIN = fileURLToPath(new URL('../../server/src/main.ts', import.meta.url));

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly baseUrl: string;
  output(): string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
}

export async function startServerProcess(env: Record<string, string>, args: string[] = []): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--no-node-snapshot', MAIN, ...args], {
    env: { PATH: process.env.PATH ?? '', WACTORZ_PORT: String(port), MQTT_EMBEDDED_PORT: '0', WACTORZ_WYOMING_PORT: '0', WACTORZ_LOG_LEVEL: 'info', WACTORZ_OPTIONS_FILE: '/nonexistent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, port, baseUrl: `http://127.0.0.1:${port}`, output: () => out, exited };
}

/** Waits until the output contains `text`, or the process exits (then throws with its output). */
export async function waitForOutput(server: ServerProcess, text: string | RegExp, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  void server.exited.then(() => (ended = true));
  for (;;) {
    const out = server.output();
    if (typeof text === 'string' ? out.includes(text) : text.test(out)) return;
    if (ended) throw new Error(`server exited before printing ${String(text)}:\n${out}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(text)}:\n${out}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** After a test: ends the process with SIGTERM unless it already ended, and waits until it has. */
export async function stopServerProcess(server: ServerProcess | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGTERM');
  await server.exited;
}
