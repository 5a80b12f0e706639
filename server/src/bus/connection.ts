// The process's one MQTT connection. Every actor shares it through the MqttBus built on top.
// Reconnects with capped exponential backoff and reports its state for /api/health. Its sockets
// run with TCP_NODELAY (no-delay.ts), so latency does not depend on the broker's socket settings.
import mqtt, { type MqttClient } from 'mqtt';
import type { ConnectionState } from '../core/connection-state.ts';
import type { ResolvedBroker } from './broker-target.ts';
import { keepNoDelay } from './no-delay.ts';

export interface MqttConnection {
  readonly client: MqttClient;
  state(): ConnectionState;
  lastError(): string | undefined;
  /** Called on every state change; returns a function that stops listening. */
  onState(listener: (state: ConnectionState) => void): () => void;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** First reconnect delay; doubles per failed attempt up to reconnectCapMs. */
  reconnectBaseMs?: number;
  reconnectCapMs?: number;
  keepaliveS?: number;
  /** Published by the broker when this connection drops without a goodbye (availability for HA). */
  will?: { topic: string; payload: string; qos: 0 | 1; retain: boolean };
}

export function backoffMs(attempt: number, baseMs = 500, capMs = 30_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

export function connectMqtt(broker: ResolvedBroker, clientId: string, opts: ConnectOptions = {}): MqttConnection {
  const base = opts.reconnectBaseMs ?? 500;
  const cap = opts.reconnectCapMs ?? 30_000;
  let state: ConnectionState = 'connecting';
  let error: string | undefined;
  let attempt = 0;
  const listeners = new Set<(s: ConnectionState) => void>();
  const set = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    for (const l of listeners) {
      try {
        l(next);
      } catch {
        // a listener's bug must not stop the connection's bookkeeping
      }
    }
  };
  const client = mqtt.connect(broker.url, {
    clientId,
    username: broker.username,
    password: broker.password,
    clean: true,
    keepalive: opts.keepaliveS ?? 30,
    reconnectPeriod: backoffMs(1, base, cap),
    connectTimeout: 10_000,
    // Telemetry published while offline is dropped, not queued (QoS 1 goes to the durable outbox).
    queueQoSZero: false,
    // mqtt-packet otherwise builds, at the first packet, a table of 65,536 two-byte Buffers (one
    // per 16-bit number: message ids, lengths) that stays for the life of the process: ~7 MB of
    // heap on a device with 2 GB. Without it each number gets a 2-byte Buffer when written. The
    // switch is process-wide (the embedded aedes broker writes through the same mqtt-packet).
    writeCache: false,
    resubscribe: true,
    ...(opts.will ? { will: opts.will } : {}),
    // Connected below, once no-delay and the listeners are in place for the very first socket.
    manualConnect: true,
  });
  keepNoDelay(client);
  client.on('connect', () => {
    error = undefined;
    attempt = 0;
    client.options.reconnectPeriod = backoffMs(1, base, cap);
    set('connected');
  });
  client.on('reconnect', () => {
    attempt++;
    // mqtt.js reads reconnectPeriod each time it schedules the next attempt.
    client.options.reconnectPeriod = backoffMs(attempt + 1, base, cap);
    set('connecting');
  });
  client.on('close', () => {
    if (state !== 'disabled') set('disconnected');
  });
  client.on('error', (err) => {
    error = err.message;
  });
  client.connect();
  return {
    client,
    state: () => state,
    lastError: () => error,
    onState(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async close() {
      set('disabled');
      listeners.clear();
      // Connected: a clean DISCONNECT after what is in flight. Not connected: nothing can be
      // flushed (QoS 1 publishes wait in the outbox), and waiting would last until the next
      // reconnect attempt, which may be far off after a long outage.
      await client.endAsync(!client.connected);
    },
  };
}
