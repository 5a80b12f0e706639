// Decides which broker the process talks to: an external MQTT_URL; in the add-on, the broker the
// Supervisor's MQTT service announces (GET http://supervisor/services/mqtt); otherwise the
// embedded aedes broker, started here.
import type { MqttTarget } from '../config/types.ts';
import type { EmbeddedBroker } from './embedded-broker.ts';

export interface ResolvedBroker {
  mode: MqttTarget['mode'];
  url: string;
  username?: string;
  password?: string;
  /** Present when this process runs the broker itself. */
  embedded?: EmbeddedBroker;
}

export interface SupervisorMqttService {
  host: string;
  port: number;
  ssl?: boolean;
  username?: string;
  password?: string;
}

export async function fetchSupervisorMqtt(
  token: string,
  fetchImpl: typeof fetch = fetch,
  base = 'http://supervisor',
): Promise<SupervisorMqttService> {
  const res = await fetchImpl(`${base}/services/mqtt`, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
  if (!res.ok) {
    throw new Error(`The Supervisor has no MQTT service for us (HTTP ${res.status}). Install and start the Mosquitto broker add-on, or set mqtt_url.`);
  }
  const body = (await res.json()) as { data?: SupervisorMqttService };
  if (!body.data?.host || !body.data.port) throw new Error('The Supervisor MQTT service answer has no host/port.');
  return body.data;
}

export async function resolveBroker(
  target: MqttTarget,
  supervisor: { token: string | undefined; fetchImpl?: typeof fetch; base?: string },
): Promise<ResolvedBroker> {
  switch (target.mode) {
    case 'external':
      return { mode: 'external', url: target.url, username: target.username, password: target.password };
    case 'supervisor': {
      if (!supervisor.token) throw new Error('Supervisor MQTT discovery needs SUPERVISOR_TOKEN.');
      const svc = await fetchSupervisorMqtt(supervisor.token, supervisor.fetchImpl, supervisor.base);
      return { mode: 'supervisor', url: `${svc.ssl ? 'mqtts' : 'mqtt'}://${svc.host}:${svc.port}`, username: svc.username, password: svc.password };
    }
    case 'embedded': {
      // aedes is imported only here: with the Supervisor's or another broker it is never loaded.
      const { startEmbeddedBroker } = await import('./embedded-broker.ts');
      const embedded = await startEmbeddedBroker({ host: target.host, port: target.port });
      return { mode: 'embedded', url: embedded.url, embedded };
    }
  }
}
