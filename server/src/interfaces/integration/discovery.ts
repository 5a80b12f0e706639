// Supervisor discovery for the companion integration: {service: "wactorz", config: {host, port,
// token}}. Home Assistant starts the integration's `hassio` config flow with it, so the owner
// confirms once and the integration talks to this add-on with its own token. The token goes
// nowhere else (the POST itself is supervisor-discovery.ts).
import { addonHost, announceService, type AnnounceOptions } from '../supervisor-discovery.ts';

export interface IntegrationAnnounceOptions extends AnnounceOptions {
  /** The API port the server listens on. */
  port: number;
  /** The integration's token (install-identity.ts). */
  integrationToken: string;
}

export async function announceIntegration(opts: IntegrationAnnounceOptions): Promise<{ uuid: string; host: string }> {
  const host = addonHost(opts);
  return { uuid: await announceService(opts, 'wactorz', { host, port: opts.port, token: opts.integrationToken }, 'companion integration'), host };
}
