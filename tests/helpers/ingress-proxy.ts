// A stand-in for Home Assistant's ingress: serves the add-on under
// /api/hassio_ingress/<token>/ by stripping that prefix, replaces any X-Remote-User-* headers
// from the browser with its own (as the Supervisor does), and proxies WebSockets. It also serves
// a page that embeds the panel in an iframe with HA theme variables, like the HA frontend.
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const INGRESS_TOKEN = 'dG9rZW4tZm9yLXRlc3Rz';
export const INGRESS_PATH = `/api/hassio_ingress/${INGRESS_TOKEN}`;
export const INGRESS_USER = { id: 'u-anna', name: 'anna', displayName: 'Anna Svensson' };

export interface IngressProxy {
  url: string;
  /** The panel's URL through the proxy. */
  panelUrl: string;
  /** A page that embeds the panel like HA does, with the given theme variables on its root. */
  haPageUrl(theme: Record<string, string>, dark: boolean): string;
  close(): Promise<void>;
}

function forwardHeaders(headers: IncomingHttpHeaders, target: URL): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (!k.startsWith('x-remote-user-')) out[k] = v;
  out.host = target.host;
  out['x-ingress-path'] = INGRESS_PATH;
  out['x-remote-user-id'] = INGRESS_USER.id;
  out['x-remote-user-name'] = INGRESS_USER.name;
  out['x-remote-user-display-name'] = INGRESS_USER.displayName;
  return out;
}

function haPage(theme: Record<string, string>, dark: boolean): string {
  const vars = Object.entries(theme).map(([k, v]) => `${k}: ${v};`).join(' ');
  return `<!doctype html><html class="${dark ? 'dark' : ''}" style="${vars}"><body style="margin:0">
    <iframe id="panel" src="${INGRESS_PATH}/" style="border:0;width:100vw;height:100vh"></iframe></body></html>`;
}

/**
 * `localAddress` is the address the proxy connects to the app from: the app trusts only that one
 * as "the Supervisor", so a browser reaching the app directly is refused, as in the add-on.
 */
export async function startIngressProxy(appUrl: string, localAddress = '127.0.0.3'): Promise<IngressProxy> {
  const target = new URL(appUrl);
  const pages = new Map<string, string>();
  // Upgraded sockets leave the HTTP server's books; keep our own so close() ends them too.
  const tunnels = new Set<{ destroy(): void }>();
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    const page = pages.get(url);
    if (page) return void res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    if (!url.startsWith(`${INGRESS_PATH}/`)) return void res.writeHead(404).end('not an ingress path');
    const upstream = request(
      { host: target.hostname, port: target.port, localAddress, method: req.method, path: url.slice(INGRESS_PATH.length), headers: forwardHeaders(req.headers, target) },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('upgrade', (req, socket, head) => {
    const url = req.url ?? '/';
    if (!url.startsWith(`${INGRESS_PATH}/`)) {
      socket.destroy();
      return;
    }
    const upstream = request({ host: target.hostname, port: target.port, localAddress, path: url.slice(INGRESS_PATH.length), headers: forwardHeaders(req.headers, target) });
    upstream.on('upgrade', (up, upSocket, upHead) => {
      const lines = [`HTTP/1.1 ${up.statusCode} ${up.statusMessage}`, ...Object.entries(up.headers).map(([k, v]) => `${k}: ${String(v)}`), '', ''];
      socket.write(lines.join('\r\n'));
      if (upHead.length) socket.write(upHead);
      if (head.length) upSocket.write(head);
      tunnels.add(socket).add(upSocket);
      upSocket.pipe(socket).pipe(upSocket);
      upSocket.on('error', () => socket.destroy());
      socket.on('error', () => upSocket.destroy());
      upSocket.on('close', () => socket.destroy());
      socket.on('close', () => upSocket.destroy());
    });
    upstream.on('response', (up) => {
      socket.end(`HTTP/1.1 ${up.statusCode} ${up.statusMessage}\r\nconnection: close\r\n\r\n`);
    });
    upstream.on('error', () => socket.destroy());
    upstream.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  let n = 0;
  return {
    url,
    panelUrl: `${url}${INGRESS_PATH}/`,
    haPageUrl(theme, dark) {
      const path = `/ha-${++n}.html`;
      pages.set(path, haPage(theme, dark));
      return `${url}${path}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        tunnels.forEach((t) => t.destroy());
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
