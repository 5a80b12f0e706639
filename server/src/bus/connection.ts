// The process's one MQTT connection. Every actor shares it (see bus/ for the typed bus built on
// top). Reconnects with capped exponential backoff and reports its state for /api/health.
import mqtt, { type MqttClient } from 'mqtt';
import type { ConnectionState } from '../http/health.ts';
import type { ResolvedBroker } from './broker-target.ts';

export interface MqttConnection {
  readonly client: MqttClient;
  state(): ConnectionState;
  lastError(): string | undefined;
  close(): Promise<void>;
}

export function backoffMs(attempt: number, baseMs = 500, capMs = 30_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

export function connectMqtt(broker: ResolvedBroker, clientId: string): MqttConnection {
  let state: ConnectionState = 'connecting';
  let error: string | undefined;
  let attempt = 0;
  const client = mqtt.connect(broker.url, {
    clientId,
    username: broker.username,
    password: broker.password,
    clean: true,
    reconnectPeriod: backoffMs(1),
    connectTimeout: 10_000,
  });
  client.on('connect', () => {
    state = 'connected';
    error = undefined;
    attempt = 0;
    client.options.reconnectPeriod = backoffMs(1);
  });
  client.on('reconnect', () => {
    state = 'connecting';
    attempt++;
    client.options.reconnectPeriod = backoffMs(attempt + 1);
  });
  client.on('close', () => {
    if (state !== 'disabled') state = 'disconnected';
  });
  client.on('error', (err) => {
    error = err.message;
  });
  return {
    client,
    state: () => state,
    lastError: () => error,
    async close() {
      state = 'disabled';
      await client.endAsync();
    },
  };
}
