// The pure parts of the real-HA provisioning (scripts/real-ha): which Debian mirror the root is
// built from, which Python packages HA's integrations need, and that the demo home announces the
// same HA release the real-HA tests run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configurationYaml } from '../../../scripts/real-ha/ha-config.ts';
import { HA_VERSION } from '../../../scripts/real-ha/pin.ts';
import { integrationRequirements } from '../../../scripts/real-ha/requirements.ts';
import { debianMirror } from '../../../scripts/real-ha/rootfs.ts';
import { DEMO_HA_VERSION } from '../../../server/src/ha/demo/protocol.ts';
import { makeTempDir } from '../../helpers/tmp.ts';

describe('debianMirror', () => {
  it('takes the main archive from deb822 or one-line sources, never the security archive', () => {
    const deb822 = 'Types: deb\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\n\nTypes: deb\nURIs: http://mirror.example/debian/\nSuites: bookworm\n';
    expect(debianMirror([deb822])).toBe('http://mirror.example/debian');
    expect(debianMirror(['deb [arch=amd64] http://ftp.example/debian bookworm main\n'])).toBe('http://ftp.example/debian');
    expect(debianMirror(['deb https://packages.example/apt cloud main\n'])).toBe('http://deb.debian.org/debian');
  });
});

describe('integrationRequirements', () => {
  it('follows dependencies and after_dependencies, collects requirements once, names unknown domains', () => {
    const dir = makeTempDir('wactorz-manifests-');
    const manifest = (domain: string, m: Record<string, unknown>) => {
      mkdirSync(join(dir.path, domain));
      writeFileSync(join(dir.path, domain, 'manifest.json'), JSON.stringify({ domain, ...m }));
    };
    manifest('mqtt', { dependencies: ['http'], after_dependencies: ['hassio'], requirements: ['paho-mqtt==2.1.0'] });
    manifest('http', { requirements: ['aiohttp_cors==0.8.1'] });
    manifest('hassio', { dependencies: ['http'], requirements: ['aiohasupervisor==0.8.1'] });
    manifest('demo', { dependencies: ['http'] });
    try {
      expect(integrationRequirements(dir.path, ['mqtt', 'demo', 'typo'])).toEqual({
        domains: ['demo', 'hassio', 'http', 'mqtt', 'typo'],
        requirements: ['aiohasupervisor==0.8.1', 'aiohttp_cors==0.8.1', 'paho-mqtt==2.1.0'],
        unknown: ['typo'],
      });
    } finally {
      dir.cleanup();
    }
  });
});

describe('the test configuration', () => {
  it('binds HA to loopback until HA has taken the http section over', () => {
    expect(configurationYaml({ http: 18123, mqtt: 18830 }, true)).toContain('http:\n  server_host: 127.0.0.1\n  server_port: 18123\n');
    expect(configurationYaml({ http: 18123, mqtt: 18830 }, false)).not.toContain('server_host');
  });

  it('is the HA release the demo home announces', () => {
    expect(DEMO_HA_VERSION).toBe(HA_VERSION);
  });
});
