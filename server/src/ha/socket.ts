// Opens one authenticated WebSocket to HA for home-assistant-js-websocket, using the `ws` package
// (Node has no WebSocket that the library's own createSocket could rely on here). Mirrors the
// library's auth phase: wait for auth_required, send auth, resolve on auth_ok (after announcing
// coalesce_messages with id 1, as the library does for HA >= 2022.9), reject with ERR_INVALID_AUTH
// on auth_invalid and ERR_CANNOT_CONNECT on anything else. One attempt per call: retries belong
// to the caller (HaConnection at start, the library's reconnect loop afterwards).
import { ERR_CANNOT_CONNECT, ERR_INVALID_AUTH, type HaWebSocket } from 'home-assistant-js-websocket';
import WebSocket, { type RawData } from 'ws';

export interface SocketOptions {
  wsUrl: string;
  token: string;
  /** Give up on an attempt that has not authenticated after this long. */
  connectTimeoutMs?: number;
  /** Called at the start of every attempt (the connection state becomes "connecting"). */
  onAttempt?: () => void;
}

export interface SocketFailure {
  reason: typeof ERR_INVALID_AUTH | typeof ERR_CANNOT_CONNECT;
  detail: string;
}

/** Creates the createSocket function home-assistant-js-websocket calls on connect and reconnect. */
export function socketFactory(options: SocketOptions, onFailure: (failure: SocketFailure) => void = () => {}): () => Promise<HaWebSocket> {
  return () => openSocket(options, onFailure);
}

function openSocket({ wsUrl, token, connectTimeoutMs = 10_000, onAttempt }: SocketOptions, onFailure: (failure: SocketFailure) => void): Promise<HaWebSocket> {
  onAttempt?.();
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, { handshakeTimeout: connectTimeoutMs, maxPayload: 64 * 1024 * 1024 });
    let settled = false;
    const fail = (reason: SocketFailure['reason'], detail: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      onFailure({ reason, detail });
      socket.removeAllListeners();
      socket.on('error', () => {});
      socket.terminate();
      // The library compares the rejection with its ERR_* numbers (reconnect stops on ERR_INVALID_AUTH).
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      reject(reason);
    };
    // Covers a server that accepts the socket but never finishes the auth phase.
    const timer = setTimeout(() => fail(ERR_CANNOT_CONNECT, `no auth_ok within ${connectTimeoutMs} ms`), connectTimeoutMs);
    socket.on('error', (err) => fail(ERR_CANNOT_CONNECT, err.message));
    socket.on('close', (code) => fail(ERR_CANNOT_CONNECT, `closed during the auth phase (code ${code})`));
    socket.on('message', (data) => {
      let msg: { type?: string; ha_version?: string; message?: string };
      try {
        msg = JSON.parse(rawText(data)) as typeof msg;
      } catch {
        return fail(ERR_CANNOT_CONNECT, 'sent something that is not JSON during the auth phase');
      }
      if (msg.type === 'auth_required') {
        socket.send(JSON.stringify({ type: 'auth', access_token: token }));
      } else if (msg.type === 'auth_invalid') {
        fail(ERR_INVALID_AUTH, msg.message ?? 'auth_invalid');
      } else if (msg.type === 'auth_ok') {
        settled = true;
        clearTimeout(timer);
        socket.removeAllListeners();
        const haSocket = socket as unknown as HaWebSocket;
        haSocket.haVersion = msg.ha_version ?? '0.0.0';
        // The library expects the features message to be id 1 (it starts counting at 2).
        socket.send(JSON.stringify({ type: 'supported_features', id: 1, features: { coalesce_messages: 1 } }));
        // Errors after the handshake surface as a close, which the library's reconnect handles.
        socket.on('error', () => {});
        resolve(haSocket);
      }
    });
  });
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
}
