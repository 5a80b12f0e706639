// Who may speak Wyoming to Wactorz, and with whose privileges. The protocol carries no
// credentials, so the peer's address is all there is (DOCS.md "Who may do what"):
// - in the add-on, only Home Assistant Core. Core runs on the host's network, so on the
//   Supervisor's `hassio` network its connections come from the bridge gateway, 172.30.32.1
//   (the address add-ons reach `homeassistant` at). It gets the owner's `assist` channel, as
//   Assist in any other form does. The add-on publishes no host port for Wyoming, so the LAN
//   cannot reach it; every other peer (other add-ons, the Supervisor, loopback) is refused.
// - standalone, a loopback peer is the owner only when the HTTP API would also trust loopback
//   (no `api_key`: the developer's machine). With a key set, or from another machine (possible
//   only when `host` binds a non-loopback address), the turn runs on the restricted `wyoming`
//   channel (trust.ts), the MQTT broker's level: answers, questions, non-sensitive devices (as any
//   broker client may ask main), and nothing only the owner may do (locks, garage doors, alarms,
//   approvals, agents, budget, memory).
import { SUPERVISOR_ADDRESS, isLoopback, normaliseIp } from '../../http/access-policy.ts';

/** Home Assistant Core as add-ons see it on the `hassio` network (the bridge gateway). */
export const HA_CORE_ADDRESS = '172.30.32.1';

export interface PeerPolicy {
  inAddon: boolean;
  apiKey: string | undefined;
  /** Peers treated as Home Assistant Core in the add-on. Only tests widen this. */
  haAddresses: readonly string[];
}

export type PeerDecision = { allow: true; channel: 'assist' | 'wyoming' } | { allow: false; reason: string };

export function defaultPeerPolicy(over: Partial<PeerPolicy> = {}): PeerPolicy {
  return { inAddon: false, apiKey: undefined, haAddresses: [HA_CORE_ADDRESS], ...over };
}

export function decidePeer(ip: string, policy: PeerPolicy): PeerDecision {
  const a = normaliseIp(ip);
  if (policy.inAddon) {
    if (policy.haAddresses.includes(a)) return { allow: true, channel: 'assist' };
    const who = a === SUPERVISOR_ADDRESS ? 'the Supervisor' : a;
    return { allow: false, reason: `Wyoming in the add-on answers only Home Assistant (${policy.haAddresses.join(', ')}), not ${who}` };
  }
  if (isLoopback(a) && policy.apiKey === undefined) return { allow: true, channel: 'assist' };
  return { allow: true, channel: 'wyoming' };
}
