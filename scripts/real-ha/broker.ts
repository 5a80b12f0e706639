// A plain MQTT broker (aedes) on a given port, for HA's mqtt entry: the config flow needs one that
// answers, and the end-to-end tests run the product and HA on it. Unlike the product's embedded
// broker, close() cuts the sockets it holds: HA's mqtt client reconnects at once and would keep a
// graceful server.close() waiting forever.
import { Aedes } from 'aedes';
import { createServer, type Socket } from 'node:net';

export interface TestBroker {
  readonly url: string;
  connectedClients(): number;
  close(): Promise<void>;
}

export async function startBroker(host: string, port: number): Promise<TestBroker> {
  const aedes = await Aedes.createBroker();
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    aedes.handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    url: `mqtt://${host}:${port}`,
    connectedClients: () => aedes.connectedClients,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await closed;
    },
  };
}
