// Real MQTT brokers for tests: the embedded aedes broker on an ephemeral port, and a real
// Mosquitto process (Debian package) for integration tests. No fixed port tables.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { freePort } from '../../scripts/real-ha/instance.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../server/src/bus/embedded-broker.ts';
import { makeTempDir } from './tmp.ts';
import { requireBinary } from './tools.ts';

/** A free loopback port (the same helper the real-HA scripts use). */
export { freePort };

export function startAedes(): Promise<EmbeddedBroker> {
  return startEmbeddedBroker({ host: '127.0.0.1', port: 0 });
}

export interface MosquittoBroker {
  readonly url: string;
  readonly port: number;
  /** Kill and start again on the same port (for reconnect/outbox tests). */
  restart(): Promise<void>;
  /** Kill without cleaning up, so that start() can bring it back on the same port. */
  kill(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface MosquittoOptions {
  /**
   * Mosquitto's `set_tcp_nodelay` (default false, as Mosquitto ships). The benchmarks pin it to
   * true where they compare two clients, so that Nagle's algorithm on the broker's sockets does not
   * make each run land in one of two latency modes (~23 µs or ~100 µs p50) at random.
   */
  tcpNoDelay?: boolean;
}

export async function startMosquitto(opts: MosquittoOptions = {}): Promise<MosquittoBroker> {
  const bin = requireBinary('mosquitto', ['/usr/sbin/mosquitto']);
  const port = await freePort();
  const dir = makeTempDir('wactorz-mosquitto-');
  const conf = join(dir.path, 'mosquitto.conf');
  const noDelay = opts.tcpNoDelay ? 'set_tcp_nodelay true\n' : '';
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest none\n${noDelay}`);
  let proc: ChildProcess | undefined;
  const url = `mqtt://127.0.0.1:${port}`;

  const start = async () => {
    proc = spawn(bin, ['-c', conf], { stdio: 'ignore' });
    const deadline = Date.now() + 5_000;
    for (;;) {
      try {
        const c = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 500 });
        await c.endAsync();
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`mosquitto did not start on port ${port}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  const stop = async () => {
    const p = proc;
    proc = undefined;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGKILL');
    });
  };
  await start();
  return {
    url,
    port,
    start,
    kill: stop,
    stop: async () => {
      await stop();
      dir.cleanup();
    },
    restart: async () => {
      await stop();
      await start();
    },
  };
}
