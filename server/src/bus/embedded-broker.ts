// The embedded MQTT broker (aedes) used when no external broker is configured, so a newcomer's
// `npm start` needs nothing installed. It listens on loopback unless configured otherwise.
import { Aedes } from 'aedes';
import { createServer, type AddressInfo, type Server } from 'node:net';

export interface EmbeddedBroker {
  readonly url: string;
  readonly port: number;
  readonly host: string;
  connectedClients(): number;
  close(): Promise<void>;
}

export async function startEmbeddedBroker(opts: { host: string; port: number }): Promise<EmbeddedBroker> {
  const aedes = await Aedes.createBroker({ drainTimeout: 30_000 });
  // Nagle off: a QoS 1 PUBACK would otherwise hold the next small publish behind the client's
  // delayed ACK (~40 ms per event on the actuator path; see BENCHMARKS.md).
  const server: Server = createServer((socket) => {
    socket.setNoDelay(true);
    aedes.handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`The embedded MQTT broker cannot listen on ${opts.host}:${opts.port}: the port is in use. Set MQTT_EMBEDDED_PORT to a free port, or MQTT_URL to use the broker that holds it.`)
          : err,
      );
    });
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host;
  let closed = false;
  return {
    url: `mqtt://${urlHost}:${port}`,
    port,
    host: opts.host,
    connectedClients: () => aedes.connectedClients,
    async close() {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
