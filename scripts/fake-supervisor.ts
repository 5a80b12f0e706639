// The Home Assistant Supervisor as the add-on sees it, on loopback, for `npm run check:container`:
// GET /services/mqtt (the broker the check runs), POST /discovery (recorded), and the /core proxy
// (REST under /core/api, the WebSocket at /core/websocket) to a Home Assistant, here the demo
// home. Like the real one it answers only the add-on's SUPERVISOR_TOKEN.
//
// The server calls http://supervisor; in a container Docker's network resolves that name. Here a
// preload (supervisorPreload) sends connections for the host `supervisor` to this server instead:
// the only difference from the image, and one the server's code cannot see.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';

export interface FakeSupervisorOptions {
  token: string;
  mqtt: { host: string; port: number };
  /** Home Assistant behind /core, e.g. the demo home: http://127.0.0.1:<port>. */
  core: { url: string; token: string };
}

export interface FakeSupervisor {
  readonly port: number;
  /** Paths asked, in order ("GET /services/mqtt"), and the discovery entries announced. */
  readonly calls: string[];
  readonly discovery: { service: string; config: unknown }[];
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export async function startFakeSupervisor(o: FakeSupervisorOptions): Promise<FakeSupervisor> {
  const calls: string[] = [];
  const discovery: { service: string; config: unknown }[] = [];
  const core = new URL(o.core.url);
  const authorized = (req: IncomingMessage) => req.headers.authorization === `Bearer ${o.token}`;

  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    calls.push(`${req.method} ${path}`);
    if (path.startsWith('/core/api/')) {
      // The real proxy checks the add-on's token and passes the request to Core with its own.
      if (!authorized(req)) return json(res, 401, { message: 'invalid token' });
      const upstream = request({ host: core.hostname, port: core.port, method: req.method, path: path.slice('/core'.length), headers: { ...req.headers, host: core.host, authorization: `Bearer ${o.core.token}` } }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => json(res, 502, { message: 'core unreachable' }));
      req.pipe(upstream);
      return;
    }
    if (!authorized(req)) return json(res, 403, { result: 'error', message: 'invalid token' });
    if (req.method === 'GET' && path === '/services/mqtt') {
      return json(res, 200, { result: 'ok', data: { host: o.mqtt.host, port: o.mqtt.port, ssl: false, protocol: '3.1.1', addon: 'core_mosquitto' } });
    }
    if (req.method === 'POST' && path === '/discovery') {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        discovery.push(JSON.parse(body) as { service: string; config: unknown });
        json(res, 200, { result: 'ok', data: { uuid: randomUUID().replace(/-/g, '') } });
      });
      return;
    }
    json(res, 404, { result: 'error', message: `the fake Supervisor does not serve ${req.method} ${path}` });
  });

  // The Core WebSocket: the upgrade request is replayed to Core's /api/websocket, then bytes flow
  // both ways untouched (HA's own auth message carries the token; the demo home expects ours).
  server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
    calls.push(`UPGRADE ${req.url ?? ''}`);
    if (req.url !== '/core/websocket') {
      socket.destroy();
      return;
    }
    const up = connect(Number(core.port), core.hostname, () => {
      const headers: string[] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i];
        headers.push(`${name}: ${name.toLowerCase() === 'host' ? core.host : req.rawHeaders[i + 1]}`);
      }
      up.write(`GET /api/websocket HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) up.write(head);
      up.pipe(socket).pipe(up);
    });
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    calls,
    discovery,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Writes the preload (node --import) that routes TCP connections for the host `supervisor`
 * (fetch, http and ws all end in net.Socket#connect) to the fake on 127.0.0.1:port.
 */
export function supervisorPreload(file: string, port: number): string {
  writeFileSync(
    file,
    `import net from 'node:net';
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first && typeof first === 'object' && first.host === 'supervisor') {
    first.host = '127.0.0.1';
    first.port = ${port};
  }
  return connect.apply(this, args);
};
`,
  );
  return file;
}
