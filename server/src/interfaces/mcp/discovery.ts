// Supervisor discovery for the MCP server: {service: "mcp", config: {url}}, which Home
// Assistant's `mcp` integration reads. That integration sends no credentials (it speaks only
// OAuth), so the URL carries the add-on's integration token, /mcp/<token> on the API port (the
// access guard accepts it there, access-policy.ts); only the Supervisor and HA ever see it. The
// POST itself is supervisor-discovery.ts.
import { addonHost, announceService, type AnnounceOptions } from '../supervisor-discovery.ts';

export interface McpAnnounceOptions extends AnnounceOptions {
  /** The API port the server listens on (the same port serves /mcp). */
  port: number;
  /** The integration token (interfaces/integration/install-identity.ts). */
  mcpToken: string;
}

export function mcpUrl(host: string, port: number, token: string): string {
  return `http://${host}:${port}/mcp/${token}`;
}

/** Announces the MCP URL; returns the discovery entry's uuid. Throws with the Supervisor's answer. */
export async function announceMcp(opts: McpAnnounceOptions): Promise<{ uuid: string; url: string }> {
  const url = mcpUrl(addonHost(opts), opts.port, opts.mcpToken);
  return { uuid: await announceService(opts, 'mcp', { url }, 'MCP'), url: mcpUrl(addonHost(opts), opts.port, '***') };
}
