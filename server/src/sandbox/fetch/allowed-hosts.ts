// The owner's LAN services that sandboxed agents' http.fetch may reach (option
// `sandbox_allowed_hosts`): "poll my inverter at 192.168.1.40". Entries are IP addresses, CIDR
// ranges or host names; they open the policy's private-address refusal (policy.ts) and nothing
// else:
// - An address or range is allowed wherever a name resolves to it.
// - A host name is allowed by its name: its resolved addresses may be private (not loopback, and
//   not the guarded addresses below). Another name resolving to the same private address is still
//   refused, so DNS rebinding of a public name onto the LAN stays closed, and the connection stays
//   pinned to the address that was checked.
// - The Supervisor's network 172.30.32.0/23 (the Supervisor at 172.30.32.2 holds the add-on's
//   token, Home Assistant sits at 172.30.32.1) is never allowed: an entry reaching it, or a
//   Supervisor host name, is a configuration error.
// - Cloud metadata addresses are allowed only when listed one by one, never through a range.
import { BlockList, isIP } from 'node:net';
import { onSupervisorNetwork } from '../../ha/supervisor-network.ts';
/** Names of the Supervisor and of Home Assistant on that network. */
const SUPERVISOR_NAMES: ReadonlySet<string> = new Set(['supervisor', 'hassio', 'homeassistant']);
/** Metadata services (AWS/GCP/Azure/OpenStack, ECS task metadata, Alibaba, AWS over IPv6). */
export const METADATA_ADDRESSES: readonly string[] = ['169.254.169.254', '169.254.170.2', '100.100.100.200', 'fd00:ec2::254'];

export interface AllowedHosts {
  /** Addresses and CIDR ranges (policy.allowedAddresses). */
  addresses: string[];
  /** Lower-case host names (policy.allowedHosts). */
  hosts: string[];
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*$/;

/** Why an entry cannot be allowed; undefined when it can. */
function entryProblem(entry: string): string | undefined {
  const [addr = '', prefixText, extra] = entry.split('/');
  const family = isIP(addr);
  if (family !== 0) {
    if (extra !== undefined) return 'not an address, a CIDR range or a host name';
    const max = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
    if (!(prefix >= 0 && prefix <= max)) return `the prefix length must be 0 to ${max}`;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    const reaches = onSupervisorNetwork(addr) || rangeHolds(addr, prefix, type, family === 4 ? '172.30.32.2' : '::ffff:172.30.32.2');
    if (reaches) {
      return "it reaches the Supervisor's network 172.30.32.0/23 (the Supervisor holds the add-on's token; agents reach Home Assistant through agent.ha.*)";
    }
    return undefined;
  }
  if (prefixText !== undefined) return 'not an address, a CIDR range or a host name';
  const name = entry.toLowerCase().replace(/\.$/, '');
  if (SUPERVISOR_NAMES.has(name)) return "it is the Supervisor's or Home Assistant's internal name; agents reach Home Assistant through agent.ha.*";
  if (name === 'localhost' || name.endsWith('.localhost')) return 'localhost is this add-on itself; list 127.0.0.1 if you really mean it';
  if (!HOST_NAME.test(name)) return 'not an address, a CIDR range or a host name';
  return undefined;
}

/** Whether the range addr/prefix holds `inner`. */
function rangeHolds(addr: string, prefix: number, type: 'ipv4' | 'ipv6', inner: string): boolean {
  const list = new BlockList();
  list.addSubnet(addr, prefix, type);
  return list.check(inner, type);
}

/** The option's entries checked; the problems, one line each (empty when all are fine). */
export function allowedHostProblems(entries: readonly string[]): string[] {
  return entries.flatMap((e) => {
    const why = entryProblem(e.trim());
    return why === undefined ? [] : [`"${e}": ${why}`];
  });
}

/** Splits valid entries into the policy's two lists (call allowedHostProblems first). */
export function parseAllowedHosts(entries: readonly string[]): AllowedHosts {
  const out: AllowedHosts = { addresses: [], hosts: [] };
  for (const raw of entries) {
    const e = raw.trim();
    if (isIP(e.split('/')[0] ?? '') !== 0) out.addresses.push(e);
    else out.hosts.push(e.toLowerCase().replace(/\.$/, ''));
  }
  return out;
}
