import { apiGet } from './api.ts';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'failed' | 'disabled';

export interface Health {
  status: 'ok' | 'degraded';
  version: string;
  uptime_s: number;
  started_at: string;
  node: string;
  broker: { mode: string; state: ConnectionState; url?: string; error?: string };
  ha: { mode: string; state: ConnectionState; version?: string; error?: string };
  llm: { provider: string; model?: string };
}

export function fetchHealth(signal?: AbortSignal): Promise<Health> {
  return apiGet<Health>('api/health', signal);
}
