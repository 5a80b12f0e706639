import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServerProcess, waitForOutput, type ServerProcess } from '../../helpers/server-process.ts';
import { makeTempDir } from '../../helpers/tmp.ts';

const running: ServerProcess[] = [];
const dirs: { cleanup: () => void }[] = [];
afterEach(() => {
  for (const s of running.splice(0)) if (s.child.exitCode === null) s.child.kill('SIGKILL');
  dirs.splice(0).forEach((d) => d.cleanup());
});

function dataDir(): string {
  const d = makeTempDir();
  dirs.push(d);
  return d.path;
}

describe('server process', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('starts on embedded defaults, answers /api/health, and exits 0 on %s after closing HTTP, MQTT and the database', async (signal) => {
    const dir = dataDir();
    const server = await startServerProcess({ WACTORZ_DATA_DIR: dir, WACTORZ_LOG_LEVEL: 'debug' });
    running.push(server);
    await waitForOutput(server, 'wactorz is up');

    const res = await fetch(`${server.baseUrl}/api/health`);
    expect(res.status).toBe(200);
    const health = (await res.json()) as { status: string; broker: { mode: string; state: string }; ha: { mode: string } };
    expect(health.broker).toMatchObject({ mode: 'embedded', state: 'connected' });
    expect(health.ha.mode).toBe('demo');
    expect(existsSync(join(dir, 'wactorz.db'))).toBe(true);

    server.child.kill(signal);
    expect(await server.exited).toBe(0);
    const out = server.output();
    const order = ['"component":"http"', '"component":"mqtt"', '"component":"database"'].map((c) => out.indexOf(c));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(out).toContain('"msg":"stopped"');
    await expect(fetch(`${server.baseUrl}/api/health`)).rejects.toThrow();
  });

  it('stops cleanly while a client holds a request half sent: the connection is cut after a grace, not the stop', async () => {
    const server = await startServerProcess({ WACTORZ_DATA_DIR: dataDir(), WACTORZ_LOG_LEVEL: 'debug' });
    running.push(server);
    await waitForOutput(server, 'wactorz is up');
    const { hostname, port } = new URL(server.baseUrl);
    const socket = connect(Number(port), hostname);
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    // A body announced at 100 bytes, 10 sent: the request never completes on its own.
    socket.write(`POST /api/chat HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"message"`);
    // Another request answered: the server is taking requests, the half-sent one among them.
    expect((await fetch(`${server.baseUrl}/api/health`)).status).toBe(200);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    await closed;
    expect(server.output()).not.toContain('shutdown took longer than 8 s');
  });

  it('refuses to start on an invalid option, naming it and what is allowed', async () => {
    const server = await startServerProcess({ WACTORZ_DATA_DIR: dataDir(), LLM_PROVIDER: 'chatgpt' });
    running.push(server);
    expect(await server.exited).toBe(2);
    expect(server.output()).toContain('LLM_PROVIDER = "chatgpt": expected anthropic, openai, ollama, nim, gemini, none');
  });

  it('never logs secrets, even at debug level', async () => {
    const server = await startServerProcess({
      WACTORZ_DATA_DIR: dataDir(),
      WACTORZ_LOG_LEVEL: 'debug',
      OPENAI_API_KEY: 'sk-live-secret-value',
      WACTORZ_API_KEY: 'api-key-secret-0123456789',
    });
    running.push(server);
    await waitForOutput(server, 'wactorz is up');
    server.child.kill('SIGTERM');
    await server.exited;
    expect(server.output()).toContain('"configuration"');
    expect(server.output()).not.toContain('sk-live-secret-value');
    expect(server.output()).not.toContain('api-key-secret-0123456789');
  });
});

describe('start-up failures', () => {
  it('says which option to change when the HTTP port is taken, and exits 1', async () => {
    const first = await startServerProcess({ WACTORZ_DATA_DIR: dataDir() });
    running.push(first);
    await waitForOutput(first, 'wactorz is up');
    const second = await startServerProcess({ WACTORZ_DATA_DIR: dataDir(), WACTORZ_PORT: String(first.port) });
    running.push(second);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`port ${first.port} is already in use. Stop what holds it, or set WACTORZ_PORT (or --port) to a free port.`);
    // The first server is untouched.
    expect((await fetch(`${first.baseUrl}/api/health`)).status).toBe(200);
  });
});
