// config.yaml, repository.yaml and translations/en.yaml checked the way the Supervisor and the
// add-on linter (frenck/action-addon-linter) read them. Docker cannot run here, and a manifest
// the Supervisor rejects makes the add-on silently vanish from the store, so these rules are
// transcribed from supervisor/apps/validate.py and options.py and the linter's schema.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/src/config/load.ts';
import { OPTIONS, type OptionSpec } from '../../../server/src/config/options.ts';
import { ADDON_OWNER_RECIPES_DIR } from '../../../server/src/agents/catalog/library.ts';
import { HA_CONFIG_IN_ADDON } from '../../../server/src/interfaces/integration/install.ts';
import { makeTempDir } from '../../helpers/tmp.ts';
import { requireBinary } from '../../helpers/tools.ts';
import { parseYaml, type YamlValue } from './yaml-lite.ts';

const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
type Doc = Record<string, YamlValue>;
const config = parseYaml(read('config.yaml')) as Doc;
const repository = parseYaml(read('repository.yaml')) as Doc;
const translations = parseYaml(read('translations/en.yaml')) as { configuration: Record<string, Record<string, YamlValue>> };
const pkg = JSON.parse(read('package.json')) as { version: string };
const schema = config.schema as Record<string, string>;

// supervisor/apps/options.py: RE_SCHEMA_ELEMENT
const RE_SCHEMA_ELEMENT = new RegExp(
  '^(?:' +
    '|bool|email|url|port' +
    '|device(?:\\((?<filter>subsystem=[a-z]+)\\))?' +
    '|str(?:\\((?<s_min>\\d+)?,(?<s_max>\\d+)?\\))?' +
    '|password(?:\\((?<p_min>\\d+)?,(?<p_max>\\d+)?\\))?' +
    '|int(?:\\((?<i_min>-?\\d+)?,(?<i_max>-?\\d+)?\\))?' +
    '|float(?:\\((?<f_min>-?\\d*\\.?\\d+)?,(?<f_max>-?\\d*\\.?\\d+)?\\))?' +
    '|match\\((?<match>.*)\\)' +
    '|list\\((?<list>.+)\\)' +
    ')\\??$',
);
// supervisor/apps/const.py RE_SLUG, supervisor/apps/validate.py RE_SERVICE
const RE_SLUG = /^[-_.A-Za-z0-9]+$/;
const RE_SERVICE = /^(mqtt|mysql):(provide|want|need)$/;
const ARCH_ALL = ['aarch64', 'amd64'];
const ARCH_DEPRECATED = ['armhf', 'armv7', 'i386'];
const ENUMS: Record<string, readonly string[]> = {
  startup: ['initialize', 'system', 'services', 'application', 'once'],
  boot: ['auto', 'manual', 'manual_only'],
  stage: ['stable', 'experimental', 'deprecated'],
  backup: ['hot', 'cold'],
  hassio_role: ['default', 'homeassistant', 'backup', 'manager', 'admin'],
};
// Keys the Supervisor defaults; the linter flags any key set to exactly this value.
const DEFAULTS: Record<string, YamlValue> = {
  advanced: false, apparmor: true, audio: false, auth_api: false, backup: 'hot', boot: 'auto',
  devicetree: false, docker_api: false, full_access: false, gpio: false, hassio_api: false,
  hassio_role: 'default', homeassistant_api: false, host_dbus: false, host_ipc: false,
  host_network: false, host_pid: false, host_uts: false, ingress: false, ingress_port: 8099,
  ingress_stream: false, init: true, journald: false, kernel_modules: false, legacy: false,
  map: [], options: {}, panel_admin: true, panel_icon: 'mdi:puzzle', realtime: false, schema: {},
  stage: 'stable', startup: 'application', stdin: false, timeout: 10, tmpfs: false, uart: false,
  udev: false, ulimits: {}, usb: false, video: false,
};
// Deprecated or obsolete: the Supervisor warns (and migrates), the linter fails.
const DEPRECATED = ['advanced', 'auto_uart', 'codenotary', 'watchdog', 'snapshot', 'snapshot_exclude', 'snapshot_pre', 'snapshot_post'];
const KNOWN = new Set([
  ...Object.keys(DEFAULTS), ...DEPRECATED, 'name', 'version', 'slug', 'description', 'arch', 'machine', 'url',
  'ports', 'ports_description', 'webui', 'ingress_entry', 'panel_title', 'homeassistant', 'devices', 'environment',
  'privileged', 'services', 'discovery', 'backup_exclude', 'backup_pre', 'backup_post', 'image', 'breaking_versions',
]);

const addonOptions = Object.values(OPTIONS as Record<string, OptionSpec>).filter((spec) => spec.addon !== undefined);
const specFor = (name: string) => addonOptions.find((spec) => spec.addon === name);

/** What voluptuous' Url() accepts: a scheme and a host. */
const isSupervisorUrl = (value: string) => URL.canParse(value) && new URL(value).protocol !== '' && new URL(value).host !== '';

describe('config.yaml', () => {
  it('has the required keys, a valid slug and the version of package.json', () => {
    for (const key of ['name', 'version', 'slug', 'description', 'arch']) expect(config[key], key).toBeTruthy();
    expect(config.name).toBe('Wactorz');
    expect(config.slug).toBe('wactorz');
    expect(config.slug).toMatch(RE_SLUG);
    expect(config.version).toBe(pkg.version);
    expect(isSupervisorUrl(config.url as string)).toBe(true);
  });

  it('targets the 64-bit architectures, none deprecated', () => {
    expect(config.arch).toEqual(['aarch64', 'amd64']);
    for (const arch of config.arch as string[]) {
      expect(ARCH_ALL).toContain(arch);
      expect(ARCH_DEPRECATED).not.toContain(arch);
    }
  });

  it('uses only known keys, valid enum values, no deprecated key and no key at its default', () => {
    for (const [key, value] of Object.entries(config)) {
      expect(KNOWN.has(key), `unknown key ${key}`).toBe(true);
      expect(DEPRECATED, `deprecated key ${key}`).not.toContain(key);
      if (ENUMS[key]) expect(ENUMS[key], key).toContain(value);
      if (key in DEFAULTS) expect(value, `${key} is set to its default value`).not.toEqual(DEFAULTS[key]);
    }
    if (config.ingress === true) expect(config.webui, 'webui is obsolete with ingress').toBeUndefined();
  });

  it('is an ingress panel that reaches Home Assistant and needs MQTT', () => {
    expect(config.ingress).toBe(true);
    expect(config.ingress_port ?? 8099).toBe(8099);
    expect(config.panel_icon).toMatch(/^mdi:[a-z0-9-]+$/);
    expect(config.panel_title).toBe('Wactorz');
    expect(config.homeassistant_api).toBe(true);
    expect(config.services).toEqual(['mqtt:need']);
    for (const service of config.services as string[]) expect(service).toMatch(RE_SERVICE);
    expect(config.discovery).toEqual(['wactorz', 'mcp', 'wyoming']);
    // s6-overlay v3 is PID 1 in the base image: Docker's init must be off (container.test.ts
    // checks that the image really starts the server as an s6 service).
    expect(config.init).toBe(false);
  });

  it("maps Home Assistant's configuration writable, where the integration installer writes, /share read-only for the owner's recipes, and nothing else", () => {
    // supervisor/apps/validate.py RE_VOLUME (the string form, still accepted beside the mapping form).
    const RE_VOLUME = /^(data|config|ssl|addons|backup|share|media|homeassistant_config|all_addon_configs|addon_config)(?::(rw|ro))?$/;
    const map = config.map as string[];
    for (const entry of map) expect(entry).toMatch(RE_VOLUME);
    expect(map).toEqual(['homeassistant_config:rw', 'share:ro']);
    // homeassistant_config is mounted at /homeassistant: where install.ts copies the integration.
    expect(HA_CONFIG_IN_ADDON).toBe('/homeassistant');
    expect(read('apparmor.txt')).toContain(`${HA_CONFIG_IN_ADDON}/custom_components/wactorz/** rw,`);
    // share is mounted at /share: the catalog reads the owner's recipes there, and only there.
    expect(ADDON_OWNER_RECIPES_DIR.startsWith('/share/')).toBe(true);
    expect(read('apparmor.txt')).toContain(`${ADDON_OWNER_RECIPES_DIR}/** r,`);
  });

  it('has a schema entry in the Supervisor type grammar for every add-on option, and only those', () => {
    expect(Object.keys(schema).sort()).toEqual(addonOptions.map((spec) => spec.addon).sort());
    for (const [name, type] of Object.entries(schema)) {
      expect(typeof type, name).toBe('string');
      expect(type, name).toMatch(RE_SCHEMA_ELEMENT);
      // No option is required: each one has a server-side default or is genuinely optional.
      expect(type.endsWith('?'), `${name} must be optional`).toBe(true);
    }
  });

  it('types each option as the server validates it', () => {
    for (const [name, type] of Object.entries(schema)) {
      const spec = specFor(name)!;
      const m = RE_SCHEMA_ELEMENT.exec(type)!.groups!;
      const base = type.replace(/[(?].*$/, '');
      // Secrets are masked in the UI and never shown again.
      expect(base === 'password', `${name}: secret <=> password`).toBe(spec.secret === true);
      if (m.list !== undefined) {
        const values = m.list.split('|');
        for (const v of values) expect(spec.schema.safeParse(v).success, `${name}=${v}`).toBe(true);
        expect(spec.schema.safeParse('not-a-choice').success, name).toBe(false);
        if ('options' in spec.schema) expect(values).toEqual(spec.schema.options);
      }
      if (base === 'int' || base === 'float') {
        const min = Number(m.i_min ?? m.f_min);
        const max = Number(m.i_max ?? m.f_max);
        const step = base === 'int' ? 1 : 0.01;
        expect(spec.schema.safeParse(min).success, `${name}=${min}`).toBe(true);
        expect(spec.schema.safeParse(max).success, `${name}=${max}`).toBe(true);
        expect(spec.schema.safeParse(min - step).success, `${name}=${min - step}`).toBe(false);
        expect(spec.schema.safeParse(max + step).success, `${name}=${max + step}`).toBe(false);
      }
      if (base === 'url') expect(spec.allowed, name).toMatch(/URL/);
    }
  });

  it('validates match() options in the UI exactly as the server does', () => {
    const samples: Record<string, { good: string[]; bad: string[] }> = {
      llm_fallback: { good: ['ollama:llama3', 'openai:gpt-4o-mini', 'anthropic:claude:x'], bad: ['llama3', 'foo:bar', 'openai:', ':x'] },
      mqtt_topic_root: { good: ['wactorz', 'home/wactorz', 'a-b_c/d1'], bad: ['', '/wactorz', 'wactorz/', 'a b', 'a//b', 'a/+'] },
      ha_discovery_prefix: { good: ['homeassistant', 'ha/discovery'], bad: ['', '/homeassistant', 'homeassistant/', 'a b', 'ha/#'] },
      mqtt_url: { good: ['mqtt://core-mosquitto:1883', 'mqtts://broker.test:8883', 'ws://broker.test/mqtt', 'wss://b.test'], bad: ['http://broker.test', 'broker.test:1883', 'mqtt:/x'] },
      whatsapp_phone_number_id: { good: ['106540352242922', '12345'], bad: ['', '1234', '+31612345678', 'abc123456'] },
    };
    const matchOptions = Object.entries(schema).filter(([, type]) => type.startsWith('match('));
    expect(matchOptions.map(([name]) => name).sort()).toEqual(Object.keys(samples).sort());
    for (const [name, type] of matchOptions) {
      // voluptuous' Match is re.match: anchored at the start only.
      const regex = new RegExp(`^(?:${RE_SCHEMA_ELEMENT.exec(type)!.groups!.match})`);
      const spec = specFor(name)!;
      for (const v of samples[name].good) {
        expect(regex.test(v), `UI accepts ${name}=${v}`).toBe(true);
        expect(spec.schema.safeParse(v).success, `server accepts ${name}=${v}`).toBe(true);
      }
      for (const v of samples[name].bad) {
        expect(regex.test(v), `UI rejects ${name}=${v}`).toBe(false);
        expect(spec.schema.safeParse(v).success, `server rejects ${name}=${v}`).toBe(false);
      }
    }
  });

  describe('with the values the Supervisor writes to /data/options.json', () => {
    const env = { SUPERVISOR_TOKEN: 'supervisor-token' };
    let tmp: ReturnType<typeof makeTempDir>;
    let optionsFile: string;
    beforeEach(() => {
      tmp = makeTempDir('wactorz-addon-');
      optionsFile = join(tmp.path, 'options.json');
    });
    afterEach(() => tmp.cleanup());

    it('starts the server with every option set', () => {
      const sample = (name: string, type: string): unknown => {
        const g = RE_SCHEMA_ELEMENT.exec(type)!.groups!;
        if (g.list) return g.list.split('|')[0];
        if (type.startsWith('int') || type.startsWith('float')) return Number(g.i_min ?? g.f_min ?? 1);
        if (type.startsWith('url')) return 'https://example.test:8443/v1';
        if (name === 'llm_fallback') return 'ollama:llama3';
        if (name === 'mqtt_url') return 'mqtt://broker.test:1883';
        if (name === 'mqtt_topic_root') return 'home/wactorz';
        if (name === 'ha_discovery_prefix') return 'ha/discovery';
        if (name === 'ha_bridge_domains') return 'light, binary_sensor';
        if (name === 'whatsapp_phone_number_id') return '106540352242922';
        if (name.endsWith('_allowed_numbers')) return '+31 612 345 678, +44 7700 900123';
        if (name.endsWith('_allowed_users') || name.endsWith('_allowed_channels') || name === 'assist_limited_devices') return '123456789, 987654321';
        if (type.startsWith('bool')) return false;
        return 'a-secret-of-24-characters';
      };
      const values = Object.fromEntries(Object.entries(schema).map(([name, type]) => [name, sample(name, type)]));
      writeFileSync(optionsFile, JSON.stringify(values));
      const cfg = loadConfig({ env, optionsFile });
      expect(cfg.inAddon).toBe(true);
      expect(cfg.topicRoot).toBe('home/wactorz');
      expect(cfg.haDiscovery).toEqual({ prefix: 'ha/discovery', commands: false });
      expect(cfg.haBridge).toEqual({ domains: ['light', 'binary_sensor'], perEntityTopics: false });
      expect(cfg.mqtt).toMatchObject({ mode: 'external', url: 'mqtt://broker.test:1883' });
      expect(cfg.ha).toMatchObject({ mode: 'direct', url: 'https://example.test:8443/v1' });
      expect(cfg.sandbox.memoryLimitMb).toBe(8);
      expect(cfg.channels.telegram).toMatchObject({ allowedUsers: ['123456789', '987654321'], apiRoot: 'https://example.test:8443/v1' });
      expect(cfg.channels.discord).toMatchObject({ allowedUsers: ['123456789', '987654321'], allowedChannels: ['123456789', '987654321'] });
      expect(cfg.channels.whatsapp).toMatchObject({ phoneNumberId: '106540352242922', allowedNumbers: ['31612345678', '447700900123'] });
      expect(cfg.integration).toEqual({ install: false, nonAdmin: 'restricted', limitedDevices: ['123456789', '987654321'] });
    });

    it('falls back to the Supervisor services when optional options are unset or null', () => {
      // The Supervisor leaves unset optional options out, or writes them as null.
      writeFileSync(optionsFile, JSON.stringify({ mqtt_url: null, ha_url: null, log_level: 'debug' }));
      const cfg = loadConfig({ env, optionsFile });
      expect(cfg.logLevel).toBe('debug');
      expect(cfg.mqtt).toEqual({ mode: 'supervisor' });
      expect(cfg.ha).toMatchObject({ mode: 'supervisor', url: 'http://supervisor/core' });
    });

    it('sets a default only where it differs from the server’s own', () => {
      const options = (config.options ?? {}) as Record<string, YamlValue>;
      const baseline = JSON.stringify(loadConfig({ env, optionsFile: join(tmp.path, 'absent.json') }));
      for (const [name, value] of Object.entries(options)) {
        expect(schema[name], `option ${name} has no schema entry`).toBeDefined();
        writeFileSync(optionsFile, JSON.stringify({ [name]: value }));
        expect(JSON.stringify(loadConfig({ env, optionsFile })), `${name}: ${JSON.stringify(value)} is the server default`).not.toBe(baseline);
      }
    });
  });
});

describe('translations/en.yaml', () => {
  it('names and describes every option, and nothing else', () => {
    const entries = translations.configuration;
    expect(Object.keys(translations)).toEqual(['configuration']);
    expect(Object.keys(entries).sort()).toEqual(Object.keys(schema).sort());
    for (const [name, entry] of Object.entries(entries)) {
      expect(Object.keys(entry).sort(), name).toEqual(['description', 'name']);
      expect(typeof entry.name === 'string' && entry.name.length > 0, name).toBe(true);
      expect(typeof entry.description === 'string' && entry.description.length > 10, name).toBe(true);
    }
  });
});

describe('repository.yaml', () => {
  it('names the repository, its URL and its maintainer', () => {
    expect(typeof repository.name === 'string' && repository.name.length > 0).toBe(true);
    expect(isSupervisorUrl(repository.url as string)).toBe(true);
    expect(typeof repository.maintainer === 'string' && repository.maintainer.length > 0).toBe(true);
  });
});

describe('the store files beside config.yaml', () => {
  it('document every option and the current version', () => {
    const docs = read('DOCS.md');
    for (const name of Object.keys(schema)) expect(docs, name).toContain(`\`${name}\``);
    expect(read('CHANGELOG.md')).toMatch(new RegExp(`^## ${pkg.version.replace(/\./g, '\\.')}$`, 'm'));
  });

  it('leave no other config.{json,yaml,yml} in the repository: the Supervisor would read it as an add-on', () => {
    const git = requireBinary('git');
    const files = execFileSync(git, ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' })
      .split('\0')
      .filter(Boolean);
    const manifests = files.filter((f) => /^config\.(json|ya?ml)$/.test(basename(f)));
    expect(manifests).toEqual(['config.yaml']);
    // build.yaml is deprecated since Supervisor 2026.04: the base image lives in the Dockerfile.
    expect(files.filter((f) => /^build\.(json|ya?ml)$/.test(f))).toEqual([]);
  });
});
