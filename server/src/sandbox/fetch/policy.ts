// Where http.fetch may go. Agents must not reach the Supervisor (it holds the add-on's token),
// Home Assistant itself (they have agent.ha.* for that), anything on the LAN or the host, or a
// cloud metadata service. Names are checked first; then every address the name resolves to, and
// the connection is pinned to the checked address so a second DNS answer cannot differ.
//
// The owner may open LAN services (option sandbox_allowed_hosts, allowed-hosts.ts): listed
// addresses and ranges, and listed names whose answers may then be private. Never the
// Supervisor's network, never loopback through a name, metadata addresses only one by one.
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { SdkError } from '../errors.ts';
import { onSupervisorNetwork } from '../../ha/supervisor-network.ts';
import { METADATA_ADDRESSES } from './allowed-hosts.ts';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export interface FetchPolicy {
  readonly maxResponseBytes: number;
  readonly maxRequestBytes: number;
  readonly timeoutMs: number;
  readonly maxRedirects: number;
  /** Refused host names: exact, or a leading dot for a domain and its subdomains. */
  readonly blockedHosts: readonly string[];
  /** Addresses or CIDR ranges allowed although private (a test server, a LAN service the user approved). */
  readonly allowedAddresses: readonly string[];
  /** Host names the owner allowed (lower case): their resolved addresses may be private (not loopback). */
  readonly allowedHosts: readonly string[];
  readonly lookup: (hostname: string) => Promise<ResolvedAddress[]>;
}

export interface FetchPolicyOptions extends Partial<FetchPolicy> {
  /** Home Assistant's URL, whose host is refused too. */
  haUrl?: string;
}

export const DEFAULT_BLOCKED_HOSTS: readonly string[] = [
  'supervisor', 'hassio', 'homeassistant', 'homeassistant.local', 'localhost', '.localhost',
  'metadata', 'metadata.google.internal', '.internal', 'instance-data', 'instance-data.ec2.internal',
];

/** Not routable on the public internet, or special: loopback, private, link-local (169.254.169.254), CGNAT, multicast... */
const BLOCKED_V4: readonly [string, number][] = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15],
  ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
];
/** Unique-local fc00::/7 holds fd00:ec2::254 (AWS metadata); IPv4-mapped and NAT64 would smuggle IPv4 addresses. */
const BLOCKED_V6: readonly [string, number][] = [
  ['::', 96], ['::ffff:0:0', 96], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 32], ['2001:db8::', 32],
  ['2002::', 16], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8], ['::1', 128],
];

// Two lists: a BlockList matches IPv4 addresses against IPv4-mapped IPv6 rules too, so one list
// holding ::ffff:0:0/96 would refuse every IPv4 address.
const blockedV4 = new BlockList();
for (const [net, prefix] of BLOCKED_V4) blockedV4.addSubnet(net, prefix, 'ipv4');
const blockedV6 = new BlockList();
for (const [net, prefix] of BLOCKED_V6) blockedV6.addSubnet(net, prefix, 'ipv6');
/** Never reached through an allowed name: this machine, "any address", multicast. */
const notByName = new BlockList();
for (const [net, prefix] of [['127.0.0.0', 8], ['0.0.0.0', 8], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) notByName.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::1', 128], ['::', 128], ['ff00::', 8]] as const) notByName.addSubnet(net, prefix, 'ipv6');
/** Metadata addresses: opened only by listing each one as it is. IPv4 rules match their IPv4-mapped IPv6 forms too. */
const metadata = new BlockList();
for (const a of METADATA_ADDRESSES) metadata.addAddress(a, isIP(a) === 6 ? 'ipv6' : 'ipv4');

async function systemLookup(hostname: string): Promise<ResolvedAddress[]> {
  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
}

export function createFetchPolicy(options: FetchPolicyOptions = {}): FetchPolicy {
  const extra: string[] = [];
  if (options.haUrl !== undefined && URL.canParse(options.haUrl)) extra.push(normalizeHost(new URL(options.haUrl).hostname));
  return {
    maxResponseBytes: options.maxResponseBytes ?? 1024 * 1024,
    maxRequestBytes: options.maxRequestBytes ?? 256 * 1024,
    timeoutMs: options.timeoutMs ?? 15_000,
    maxRedirects: options.maxRedirects ?? 5,
    blockedHosts: [...(options.blockedHosts ?? DEFAULT_BLOCKED_HOSTS), ...extra],
    allowedAddresses: options.allowedAddresses ?? [],
    allowedHosts: (options.allowedHosts ?? []).map(normalizeHost),
    lookup: options.lookup ?? systemLookup,
  };
}

export function normalizeHost(hostname: string): string {
  return hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
}

function allowList(policy: FetchPolicy): BlockList {
  const list = new BlockList();
  for (const entry of policy.allowedAddresses) {
    const [addr = '', prefix] = entry.split('/');
    const family = isIP(addr);
    if (family === 0) continue;
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(prefix), type);
  }
  return list;
}

/** Refuses a URL by its scheme and host name, before any network access. */
export function checkUrl(policy: FetchPolicy, url: URL): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SdkError(`agent.http.fetch: only http and https URLs are allowed, not ${url.protocol.replace(/:$/, '')}`);
  const host = normalizeHost(url.hostname);
  // A name the owner listed is theirs to open (Home Assistant's own name included); the
  // Supervisor's names never pass the option's check (allowed-hosts.ts).
  const listed = policy.allowedHosts.includes(host) || policy.allowedAddresses.some((a) => normalizeHost(a) === host);
  if (listed && host !== 'supervisor' && host !== 'hassio') return;
  for (const rule of policy.blockedHosts) {
    const hit = rule.startsWith('.') ? host === rule.slice(1) || host.endsWith(rule) : host === rule;
    if (hit) throw new SdkError(`agent.http.fetch: ${host} is not reachable from agents (Supervisor, Home Assistant, local and metadata hosts are refused; use agent.ha.* for Home Assistant)`);
  }
}

/**
 * Refuses an address that is not public, unless the policy allows it explicitly. `byName`: the
 * address is an answer for a host name the owner allowed.
 */
export function checkAddress(policy: FetchPolicy, address: string, byName = false): void {
  const family = isIP(address);
  if (family === 0) throw new SdkError(`agent.http.fetch: ${address} is not an IP address`);
  const type = family === 6 ? 'ipv6' : 'ipv4';
  const refuse = (why: string) => new SdkError(`agent.http.fetch: ${address} is a private, local or metadata address; ${why}`);
  if (onSupervisorNetwork(address)) throw refuse("the Supervisor's network is never reachable from agents");
  if (metadata.check(address, type)) {
    if (policy.allowedAddresses.some((a) => !a.includes('/') && metadata.check(a, isIP(a) === 6 ? 'ipv6' : 'ipv4') && sameAddress(a, address))) return;
    throw refuse('metadata services are refused unless listed one by one');
  }
  if (allowList(policy).check(address, type)) return;
  if (byName && !notByName.check(address, type)) return;
  if ((family === 6 ? blockedV6 : blockedV4).check(address, type)) throw refuse('agents may only reach the public internet and the LAN hosts the owner listed in the add-on option sandbox_allowed_hosts');
}

function sameAddress(a: string, b: string): boolean {
  const list = new BlockList();
  list.addAddress(a, isIP(a) === 6 ? 'ipv6' : 'ipv4');
  return list.check(b, isIP(b) === 6 ? 'ipv6' : 'ipv4');
}

/** The checked address to connect to: the literal itself, or every resolved address checked. */
export async function resolveChecked(policy: FetchPolicy, url: URL): Promise<ResolvedAddress> {
  checkUrl(policy, url);
  const host = normalizeHost(url.hostname);
  const literal = isIP(host);
  if (literal !== 0) {
    checkAddress(policy, host);
    return { address: host, family: literal === 6 ? 6 : 4 };
  }
  let addresses: ResolvedAddress[];
  try {
    addresses = await policy.lookup(host);
  } catch {
    throw new SdkError(`agent.http.fetch: cannot resolve ${host}`);
  }
  if (addresses.length === 0) throw new SdkError(`agent.http.fetch: cannot resolve ${host}`);
  // Every answer must pass: a name with one public and one private address is refused, unless
  // the owner listed this very name (then its LAN answers pass; another name's never do).
  const byName = policy.allowedHosts.includes(host);
  for (const a of addresses) checkAddress(policy, a.address, byName);
  return addresses[0];
}
