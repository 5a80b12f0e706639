// Who gets which channel over Wyoming (DOCS.md "Who may do what"): the protocol has no
// credentials, so only Home Assistant Core's address in the add-on, and loopback on a
// developer's machine without an API key, get the owner's `assist` channel.
import { describe, expect, it } from 'vitest';
import { decidePeer, defaultPeerPolicy } from '../../../../server/src/interfaces/wyoming/peers.ts';

describe('Wyoming peers', () => {
  const addon = defaultPeerPolicy({ inAddon: true });
  it('in the add-on: Home Assistant Core (the hassio gateway) is Assist; everyone else is refused', () => {
    expect(decidePeer('172.30.32.1', addon)).toEqual({ allow: true, channel: 'assist' });
    expect(decidePeer('::ffff:172.30.32.1', addon)).toEqual({ allow: true, channel: 'assist' });
    expect(decidePeer('172.30.32.2', addon)).toEqual({ allow: false, reason: 'Wyoming in the add-on answers only Home Assistant (172.30.32.1), not the Supervisor' });
    for (const ip of ['172.30.33.5', '127.0.0.1', '192.168.1.20']) expect(decidePeer(ip, addon).allow).toBe(false);
  });

  it('standalone: loopback is the owner only without an API key; anything else is the restricted wyoming channel', () => {
    expect(decidePeer('127.0.0.1', defaultPeerPolicy())).toEqual({ allow: true, channel: 'assist' });
    expect(decidePeer('::1', defaultPeerPolicy())).toEqual({ allow: true, channel: 'assist' });
    expect(decidePeer('127.0.0.1', defaultPeerPolicy({ apiKey: 'k'.repeat(16) }))).toEqual({ allow: true, channel: 'wyoming' });
    expect(decidePeer('192.168.1.20', defaultPeerPolicy())).toEqual({ allow: true, channel: 'wyoming' });
  });
});
