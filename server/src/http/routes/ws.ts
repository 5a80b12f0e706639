// GET /api/ws: the live event stream. The access guard has already run on the upgrade request
// (a refused client gets its 401/403/421 before any WebSocket exists); this route only binds the
// socket to a LiveConnection. Protocol: ws-protocol.ts.
import type { FastifyPluginAsync } from 'fastify';
import type { Clock } from '../../core/clock.ts';
import { callerOf } from '../access.ts';
import type { LiveHub } from '../live-hub.ts';
import { LiveConnection } from '../ws-connection.ts';

export interface WsRouteOptions {
  hub: LiveHub;
  clock: Clock;
  pingIntervalMs?: number;
  maxBufferedBytes?: number;
}

export const wsRoutes: FastifyPluginAsync<WsRouteOptions> = async (app, opts) => {
  app.get('/api/ws', { websocket: true }, (socket, req) => {
    const conn = new LiveConnection(socket, {
      hub: opts.hub,
      clock: opts.clock,
      identity: callerOf(req),
      pingIntervalMs: opts.pingIntervalMs,
      maxBufferedBytes: opts.maxBufferedBytes,
      onDrop: (reason) => req.log.info({ reason }, 'live client dropped'),
    });
    socket.on('message', (data, isBinary) => {
      if (isBinary) return socket.close(1003, 'text frames only');
      conn.onMessage(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8'));
    });
    socket.on('pong', () => conn.onPong());
    socket.on('close', () => conn.dispose());
    conn.start();
  });
};
