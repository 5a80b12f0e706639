// The configuration of the test Home Assistant: HA's demo platforms (placed in floors and areas by
// onboarding, see home-layout.ts), recorder + history, automation/script/scene from the files the
// config API edits, conversation, a door sensor, and nothing that reaches the internet (no
// default_config: it brings cloud, zeroconf, ssdp, ...). mqtt is a config entry (HA has no YAML
// for the broker), made during onboarding.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from './paths.ts';

export interface InstancePorts {
  http: number;
  mqtt: number;
}

/** Top-level domains of configuration.yaml, the config entries onboarding adds (mqtt) and those the
 * real-HA tests add through config flows (wyoming: tests/real-ha/wyoming.suite.ts) and the
 * dependencies of the companion integration (ai_task; tests/real-ha/companion.suite.ts), and mcp
 * (tests/real-ha/mcp.suite.ts): their
 * requirements are preinstalled, since HA runs with --skip-pip. A change here reinstalls on a
 * cached machine too (venv.ts keeps these domains in its marker). */
export const CONFIG_DOMAINS = ['homeassistant', 'http', 'logger', 'api', 'config', 'demo', 'recorder', 'history', 'automation', 'script', 'scene', 'conversation', 'template', 'input_boolean', 'input_text', 'mqtt', 'wyoming', 'ai_task', 'mcp'];

/** Where the demo home puts Amsterdam; the same place here keeps sun times and time zone alike. */
const LOCATION = { latitude: 52.3731, longitude: 4.8922, elevation: 2, timeZone: 'Europe/Amsterdam', country: 'NL' };

/**
 * `withHttp`: HA 2026.x moves the http section into its own storage at the first start (as a
 * pending config that reverts unless promoted over the WebSocket, see home-layout.ts) and warns
 * about it on every later start; so it is written only until HA has taken it over.
 */
export function configurationYaml(ports: InstancePorts, withHttp: boolean): string {
  const http = withHttp ? `http:\n  server_host: 127.0.0.1\n  server_port: ${ports.http}\n` : '';
  return `# Written by scripts/real-ha (npm run ha:real) on every start; edits here are lost.
homeassistant:
  name: Wactorz Test Home
  latitude: ${LOCATION.latitude}
  longitude: ${LOCATION.longitude}
  elevation: ${LOCATION.elevation}
  unit_system: metric
  time_zone: ${LOCATION.timeZone}
  country: ${LOCATION.country}
  currency: EUR
  internal_url: http://127.0.0.1:${ports.http}
${http}logger:
  default: warning
api:
config:
demo:
recorder:
  # History reads see a change after at most a second (the default batches for 5 s).
  commit_interval: 1
history:
automation: !include automations.yaml
script: !include scripts.yaml
scene: !include scenes.yaml
conversation:
input_boolean:
  front_door_open:
    name: Front door open
input_text:
  # Where an automation stores what wactorz.ask answered (tests/real-ha/companion.suite.ts).
  wactorz_reply:
    name: Wactorz reply
    max: 255
template:
  - binary_sensor:
      # HA's demo has motion and moisture sensors but no door: a door the way a user would make one.
      - name: Front Door
        unique_id: wactorz_front_door
        device_class: door
        state: "{{ is_state('input_boolean.front_door_open', 'on') }}"
`;
}

/** Writes configuration.yaml (always) and the files the config API edits (only when missing). */
export function writeConfig(configDir: string, ports: InstancePorts): void {
  mkdirSync(configDir, { recursive: true });
  // HA's own record that it took the http section over (never written here).
  const httpTakenOver = existsSync(join(configDir, '.storage', 'http'));
  writeFileSync(join(configDir, 'configuration.yaml'), configurationYaml(ports, !httpTakenOver));
  for (const [file, empty] of [['automations.yaml', '[]\n'], ['scripts.yaml', '{}\n'], ['scenes.yaml', '[]\n']] as const) {
    if (!existsSync(join(configDir, file))) writeFileSync(join(configDir, file), empty);
  }
  copyCompanionIntegration(configDir);
}

const COMPANION = join(REPO_ROOT, 'addon', 'integration', 'custom_components', 'wactorz');

/**
 * The companion integration, copied fresh into HA's custom_components (HA reads custom
 * integrations at start: real-ha.ts restarts a running HA when companionHash changes).
 */
function copyCompanionIntegration(configDir: string): void {
  const target = join(configDir, 'custom_components', 'wactorz');
  rmSync(target, { recursive: true, force: true });
  if (existsSync(COMPANION)) cpSync(COMPANION, target, { recursive: true, filter: (src) => !src.includes('__pycache__') });
}

/** A digest of the companion integration's files: a change means HA must restart to load it. */
export function companionHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name === '__pycache__') continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(`${relative(COMPANION, path)}\0`).update(readFileSync(path));
    }
  };
  if (existsSync(COMPANION)) walk(COMPANION);
  return hash.digest('hex').slice(0, 16);
}
