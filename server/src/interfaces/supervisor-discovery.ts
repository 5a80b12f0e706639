// Supervisor discovery for the services Wactorz offers Home Assistant: POST /discovery
// {service, config} with the add-on's token, so HA offers the matching integration with one
// click (config.yaml lists each service under `discovery:`; the Supervisor refuses services an
// add-on did not declare). Addresses use the add-on's hostname on the internal network, where
// Home Assistant reaches add-ons; each service's own guard still applies there, so announcing
// grants nothing.
import { hostname } from 'node:os';
import { z } from 'zod';

export interface AnnounceOptions {
  token: string;
  /** This add-on's hostname on the Supervisor's network; the container's hostname by default. */
  host?: string;
  fetchImpl?: typeof fetch;
  base?: string;
}

const DiscoveryReply = z.object({ result: z.literal('ok'), data: z.object({ uuid: z.string() }) });

export function addonHost(opts: Pick<AnnounceOptions, 'host'>): string {
  return opts.host ?? hostname();
}

/** Announces one service; returns the discovery entry's uuid. Throws with the Supervisor's status. */
export async function announceService(opts: AnnounceOptions, service: string, config: Record<string, unknown>, label: string): Promise<string> {
  const fetchImpl = opts.fetchImpl ?? fetch;
  const res = await fetchImpl(`${opts.base ?? 'http://supervisor'}/discovery`, {
    method: 'POST',
    headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ service, config }),
    signal: AbortSignal.timeout(10_000),
  });
  const body: unknown = await res.json().catch(() => undefined);
  const parsed = DiscoveryReply.safeParse(body);
  if (!res.ok || !parsed.success) throw new Error(`Supervisor discovery refused the ${label} announcement (HTTP ${res.status})`);
  return parsed.data.data.uuid;
}
