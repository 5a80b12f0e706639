// Supervisor discovery for the Wyoming server: {service: "wyoming", config: {uri}}, which Home
// Assistant's `wyoming` integration turns into a one-click "Wactorz discovered" (its hassio step
// reads host and port from the URI). Announcing grants nothing: peers.ts decides who is served.
import { addonHost, announceService, type AnnounceOptions } from '../supervisor-discovery.ts';

export interface WyomingAnnounceOptions extends AnnounceOptions {
  port: number;
}

export function wyomingUri(host: string, port: number): string {
  return `tcp://${host}:${port}`;
}

export async function announceWyoming(opts: WyomingAnnounceOptions): Promise<{ uuid: string; uri: string }> {
  const uri = wyomingUri(addonHost(opts), opts.port);
  return { uuid: await announceService(opts, 'wyoming', { uri }, 'Wyoming'), uri };
}
