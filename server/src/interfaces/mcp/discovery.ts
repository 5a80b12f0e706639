// Supervisor discovery for the MCP server: POST /discovery {service: "mcp", config: {url}} so Home
// Assistant offers its `mcp` integration with Wactorz's URL (config.yaml lists `mcp` under
// `discovery:`; the Supervisor refuses services an add-on did not declare). The URL uses the
// add-on's hostname on the internal network, where Home Assistant reaches add-ons; the access
// guard still applies there (the API key), so announcing grants nothing.
import { hostname } from 'node:os';
import { z } from 'zod';

export interface McpAnnounceOptions {
  token: string;
  /** The API port the server listens on (the same port serves /mcp). */
  port: number;
  /** This add-on's hostname on the Supervisor's network; the container's hostname by default. */
  host?: string;
  fetchImpl?: typeof fetch;
  base?: string;
}

const DiscoveryReply = z.object({ result: z.literal('ok'), data: z.object({ uuid: z.string() }) });

export function mcpUrl(host: string, port: number): string {
  return `http://${host}:${port}/mcp`;
}

/** Announces the MCP URL; returns the discovery entry's uuid. Throws with the Supervisor's answer. */
export async function announceMcp(opts: McpAnnounceOptions): Promise<{ uuid: string; url: string }> {
  const url = mcpUrl(opts.host ?? hostname(), opts.port);
  const fetchImpl = opts.fetchImpl ?? fetch;
  const res = await fetchImpl(`${opts.base ?? 'http://supervisor'}/discovery`, {
    method: 'POST',
    headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ service: 'mcp', config: { url } }),
    signal: AbortSignal.timeout(10_000),
  });
  const body: unknown = await res.json().catch(() => undefined);
  const parsed = DiscoveryReply.safeParse(body);
  if (!res.ok || !parsed.success) throw new Error(`Supervisor discovery refused the MCP announcement (HTTP ${res.status})`);
  return { uuid: parsed.data.data.uuid, url };
}
