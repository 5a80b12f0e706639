// Supervisor discovery for the MCP server: {service: "mcp", config: {url}}, which Home
// Assistant's `mcp` integration reads; the URL is /mcp on the API port, where the access guard
// still asks for the API key (the POST itself is supervisor-discovery.ts).
import { addonHost, announceService, type AnnounceOptions } from '../supervisor-discovery.ts';

export interface McpAnnounceOptions extends AnnounceOptions {
  /** The API port the server listens on (the same port serves /mcp). */
  port: number;
}

export function mcpUrl(host: string, port: number): string {
  return `http://${host}:${port}/mcp`;
}

/** Announces the MCP URL; returns the discovery entry's uuid. Throws with the Supervisor's answer. */
export async function announceMcp(opts: McpAnnounceOptions): Promise<{ uuid: string; url: string }> {
  const url = mcpUrl(addonHost(opts), opts.port);
  return { uuid: await announceService(opts, 'mcp', { url }, 'MCP'), url };
}
