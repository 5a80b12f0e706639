import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactConfig } from '../../../server/src/config/load.ts';
import { makeTempDir } from '../../helpers/tmp.ts';

const dirs: { cleanup: () => void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

function optionsFile(content: unknown): string {
  const dir = makeTempDir();
  dirs.push(dir);
  const path = join(dir.path, 'options.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const NO_FILE = '/nonexistent/options.json';

describe('configuration defaults', () => {
  it('runs standalone on embedded defaults: loopback, port 8099, embedded broker, demo home, no LLM', () => {
    const c = loadConfig({ env: {}, argv: [], optionsFile: NO_FILE });
    expect(c.port).toBe(8099);
    expect(c.host).toBe('127.0.0.1');
    expect(c.dataDir.endsWith('/data')).toBe(true);
    expect(c.topicRoot).toBe('wactorz');
    expect(c.mqtt).toEqual({ mode: 'embedded', host: '127.0.0.1', port: 1883 });
    expect(c.ha).toEqual({ mode: 'demo' });
    expect(c.llm.provider).toBe('none');
    expect(c.inAddon).toBe(false);
  });

  it('inside the add-on uses /data, all interfaces, the Supervisor proxy and the Supervisor MQTT service', () => {
    const c = loadConfig({ env: { SUPERVISOR_TOKEN: 'sup-token' }, optionsFile: NO_FILE });
    expect(c.dataDir).toBe('/data');
    expect(c.host).toBe('0.0.0.0');
    expect(c.ha).toEqual({ mode: 'supervisor', url: 'http://supervisor/core', token: 'sup-token' });
    expect(c.mqtt).toEqual({ mode: 'supervisor' });
  });

  it('picks the provider whose key is configured when LLM_PROVIDER is unset', () => {
    expect(loadConfig({ env: { OPENAI_API_KEY: 'sk-x' }, optionsFile: NO_FILE }).llm.provider).toBe('openai');
    expect(loadConfig({ env: { GOOGLE_API_KEY: 'g' }, optionsFile: NO_FILE }).llm.gemini.apiKey).toBe('g');
    expect(loadConfig({ env: { ANTHROPIC_API_KEY: 'a', OPENAI_API_KEY: 'o', LLM_PROVIDER: 'ollama' }, optionsFile: NO_FILE }).llm.provider).toBe('ollama');
  });
});

describe('precedence: flags > environment > options.json > defaults', () => {
  it('applies each layer over the one below', () => {
    const file = optionsFile({ log_level: 'debug', mqtt_topic_root: 'from-file', llm_model: 'file-model', openai_api_key: 'file-key' });
    const c = loadConfig({
      optionsFile: file,
      env: { MQTT_TOPIC_ROOT: 'from-env', LLM_MODEL: 'env-model' },
      argv: ['--llm-model', 'flag-model'],
    });
    expect(c.logLevel).toBe('debug'); // only in the file
    expect(c.topicRoot).toBe('from-env'); // env beats file
    expect(c.llm.model).toBe('flag-model'); // flag beats env and file
    expect(c.llm.openai.apiKey).toBe('file-key');
  });

  it('accepts --flag=value and --flag value, and boolean flags without a value', () => {
    const c = loadConfig({ env: { HA_URL: 'http://ha.local:8123', HA_TOKEN: 't' }, argv: ['--port=9000', '--data-dir', '/tmp/x', '--demo'], optionsFile: NO_FILE });
    expect(c.port).toBe(9000);
    expect(c.dataDir).toBe('/tmp/x');
    expect(c.ha).toEqual({ mode: 'demo' });
  });

  it('reads the options file named by WACTORZ_OPTIONS_FILE', () => {
    const file = optionsFile({ llm_provider: 'gemini' });
    expect(loadConfig({ env: { WACTORZ_OPTIONS_FILE: file } }).llm.provider).toBe('gemini');
  });

  it('treats null and empty add-on options as unset', () => {
    const file = optionsFile({ mqtt_url: null, ha_url: '', llm_provider: 'ollama' });
    const c = loadConfig({ optionsFile: file, env: {} });
    expect(c.mqtt.mode).toBe('embedded');
    expect(c.ha.mode).toBe('demo');
  });

  it('uses HA_URL + HA_TOKEN over the Supervisor proxy, trimming the trailing slash', () => {
    const c = loadConfig({ env: { SUPERVISOR_TOKEN: 's', HA_URL: 'http://ha.local:8123/', HA_TOKEN: 'tok' }, optionsFile: NO_FILE });
    expect(c.ha).toEqual({ mode: 'direct', url: 'http://ha.local:8123', token: 'tok' });
  });

  it('uses an external broker with credentials when MQTT_URL is set', () => {
    const c = loadConfig({ env: { MQTT_URL: 'mqtt://broker:1883', MQTT_USERNAME: 'u', MQTT_PASSWORD: 'p' }, optionsFile: NO_FILE });
    expect(c.mqtt).toEqual({ mode: 'external', url: 'mqtt://broker:1883', username: 'u', password: 'p' });
  });
});

describe('invalid values stop start-up with a message naming the option and what is allowed', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['port from env', () => loadConfig({ env: { WACTORZ_PORT: 'abc' }, optionsFile: NO_FILE }), /WACTORZ_PORT = "abc": expected an integer from 1 to 65535/],
    ['port out of range from a flag', () => loadConfig({ env: {}, argv: ['--port', '70000'], optionsFile: NO_FILE }), /--port = "70000": expected an integer from 1 to 65535/],
    ['provider', () => loadConfig({ env: { LLM_PROVIDER: 'gpt' }, optionsFile: NO_FILE }), /LLM_PROVIDER = "gpt": expected anthropic, openai, ollama, nim, gemini, none/],
    ['MQTT URL', () => loadConfig({ env: { MQTT_URL: 'http://broker' }, optionsFile: NO_FILE }), /MQTT_URL = "http:\/\/broker": expected an mqtt:\/\//],
    ['topic root', () => loadConfig({ env: { MQTT_TOPIC_ROOT: 'a/#' }, optionsFile: NO_FILE }), /MQTT_TOPIC_ROOT/],
    ['add-on option', () => loadConfig({ env: {}, optionsFile: optionsFile({ log_level: 'loud' }) }), /add-on option "log_level" = "loud": expected trace, debug, info/],
    ['unknown flag', () => loadConfig({ env: {}, argv: ['--prot', '1'], optionsFile: NO_FILE }), /Unknown flag --prot/],
    ['flag without value', () => loadConfig({ env: {}, argv: ['--port'], optionsFile: NO_FILE }), /--port needs a value/],
    ['HA_URL without token', () => loadConfig({ env: { HA_URL: 'http://ha:8123' }, optionsFile: NO_FILE }), /HA_TOKEN is not/],
    ['broken options.json', () => loadConfig({ env: {}, optionsFile: optionsFile('{not json') }), /not valid JSON/],
  ];
  it.each(cases)('%s', (_name, load, message) => {
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
  });

  it('reports every bad option at once', () => {
    expect(() => loadConfig({ env: { WACTORZ_PORT: 'x', LLM_PROVIDER: 'y' }, optionsFile: NO_FILE })).toThrow(/WACTORZ_PORT[\s\S]*LLM_PROVIDER/);
  });

  it('never echoes a secret in an error', () => {
    let message = '';
    try {
      loadConfig({ env: { WACTORZ_API_KEY: 'short-secret' }, optionsFile: NO_FILE });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/WACTORZ_API_KEY = \(hidden\): expected a secret of at least 16 characters/);
    expect(message).not.toContain('short-secret');
  });
});

describe('redactConfig', () => {
  it('hides every token, key and password', () => {
    const c = loadConfig({
      env: { HA_URL: 'http://ha:8123', HA_TOKEN: 'ha-secret', OPENAI_API_KEY: 'sk-secret', MQTT_URL: 'mqtt://b', MQTT_PASSWORD: 'mqtt-secret', WACTORZ_API_KEY: 'api-secret-0123456789' },
      optionsFile: NO_FILE,
    });
    const text = JSON.stringify(redactConfig(c));
    for (const secret of ['ha-secret', 'sk-secret', 'mqtt-secret', 'api-secret-0123456789']) expect(text).not.toContain(secret);
    expect(text).toContain('http://ha:8123');
  });
});
