// The Supervisor's internal `hassio` network: the Supervisor (172.30.32.2, which holds the
// add-on's token), Home Assistant (172.30.32.1) and the other add-ons, on IPv4 and on the IPv6
// range the Supervisor gives it. The access guard admits callers from there without the direct
// port's API key (http/access-policy.ts); agents' http.fetch may never reach it
// (sandbox/fetch/allowed-hosts.ts).
import { BlockList, isIP } from 'node:net';

export const SUPERVISOR_NETWORK: readonly [string, number] = ['172.30.32.0', 23];
export const SUPERVISOR_NETWORK_V6: readonly [string, number] = ['fd0c:ac1e:2100::', 48];

const v4 = new BlockList();
v4.addSubnet(SUPERVISOR_NETWORK[0], SUPERVISOR_NETWORK[1], 'ipv4');
const v6 = new BlockList();
v6.addSubnet(SUPERVISOR_NETWORK_V6[0], SUPERVISOR_NETWORK_V6[1], 'ipv6');

/** Whether an address lies on the Supervisor's network (IPv4, IPv4-mapped IPv6, or its IPv6 range). */
export function onSupervisorNetwork(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const a = mapped ?? address;
  const family = isIP(a);
  if (family === 4) return v4.check(a, 'ipv4');
  if (family === 6) return v6.check(a, 'ipv6');
  return false;
}
