import { describe, expect, it } from 'vitest';
import { agentNameProblem, suggestSlug } from '../../../../server/src/agents/spawn-config/agent-name.ts';
import { SpawnConfig } from '../../../../server/src/agents/spawn-config/config-schema.ts';
import { contractFromSpawnConfig } from '../../../../server/src/agents/spawn-config/contract-from-config.ts';
import { validateSpawnConfig, type SpawnValidation } from '../../../../server/src/agents/spawn-config/validate.ts';

function accepted(input: unknown) {
  const r = validateSpawnConfig(input);
  if (!r.ok) throw new Error(r.error);
  return r;
}
function rejected(input: unknown): Extract<SpawnValidation, { ok: false }> {
  const r = validateSpawnConfig(input);
  if (r.ok) throw new Error('expected a rejection');
  return r;
}

describe('agent names', () => {
  it('are slugs, with a suggestion when they are not', () => {
    expect(agentNameProblem('weather-agent_2')).toBeUndefined();
    expect(rejected({ name: 'Weather Agent!', type: 'llm', system_prompt: 'x' }).error).toContain('e.g. "weather-agent"');
    expect(agentNameProblem('a/b')).toMatch(/slug/);
    expect(agentNameProblem('x'.repeat(65))).toMatch(/1-64/);
    expect(suggestSlug('Café Lights')).toBe('cafe-lights');
  });

  it('may not take a system actor\'s name', () => {
    expect(rejected({ name: 'main', type: 'llm', system_prompt: 'x', replace: true }).error).toBe(
      'spawn "main" rejected: name: "main" is reserved for a system actor; pick another name (got "main")',
    );
  });
});

describe('dynamic agents', () => {
  it('fills defaults and coerces loose values', () => {
    const { config, warnings } = accepted({
      name: 'sim', type: 'Dynamic', code: 'x', pollInterval: '30', replace: 'true',
      publishes: 'sensors/data', subscribes: ['subscribes', 'cmd/+'], install: 'date-fns, lodash',
    });
    expect(config).toEqual({
      type: 'dynamic', name: 'sim', description: '', replace: true, publishes: ['sensors/data'], subscribes: ['cmd/+'],
      capabilities: [], code: 'x', poll_interval: 30, install: ['date-fns', 'lodash'],
    });
    expect(warnings).toEqual(['subscribes: dropped "subscribes" (a field name, not a topic)']);
  });

  it('bounds poll_interval', () => {
    expect(rejected({ name: 'a', type: 'dynamic', code: 'x', poll_interval: 0.1 }).issues[0]?.path).toBe('poll_interval');
    expect(rejected({ name: 'a', type: 'dynamic', code: 'x', poll_interval: 10 ** 9 }).issues[0]?.path).toBe('poll_interval');
    expect(rejected({ name: 'a', type: 'dynamic', code: 'x', poll_interval: 'often' }).error).toMatch(/poll_interval: .*expected number/);
  });

  it('requires code and checks npm package names', () => {
    expect(rejected({ name: 'a', type: 'dynamic' }).issues).toEqual([{ path: 'code', message: 'is required (string)' }]);
    expect(rejected({ name: 'a', type: 'dynamic', code: '' }).error).toContain('code: must not be empty');
    expect(rejected({ name: 'a', type: 'dynamic', code: 'x', install: ['Bad Name'] }).issues[0]?.path).toBe('install[0]');
    expect(accepted({ name: 'a', type: 'dynamic', code: 'x', install: ['@scope/pkg@^1.2'] }).config).toMatchObject({ install: ['@scope/pkg@^1.2'] });
  });

  it('rejects publishing to a wildcard topic', () => {
    expect(rejected({ name: 'a', type: 'dynamic', code: 'x', publishes: ['sensors/+'] }).issues[0]?.path).toBe('publishes[0]');
  });

  it('warns about and drops fields that do not belong to the type', () => {
    const { config, warnings } = accepted({ name: 'a', type: 'dynamic', code: 'x', system_prompt: 'p', colour: 'red' });
    expect(config).not.toHaveProperty('system_prompt');
    expect(warnings).toEqual(['ignored field "system_prompt": not used by dynamic agents', 'ignored field "colour": not used by dynamic agents']);
  });
});

describe('type resolution', () => {
  it('infers a missing type from the fields, with a warning', () => {
    expect(accepted({ name: 'a', code: 'x' })).toMatchObject({ config: { type: 'dynamic' }, warnings: ['no "type" given; treated as "dynamic"'] });
    expect(accepted({ name: 'a', prompt: 'You are kind.' }).config.type).toBe('llm');
    expect(accepted({ name: 'a', schedule: { kind: 'interval', seconds: 60 } }).config.type).toBe('scheduled');
  });

  it('reads common aliases of the type', () => {
    expect(accepted({ name: 'a', type: 'actuator', mqtt_topics: 't', actions: [{ service: 'light.turn_on' }] }).config.type).toBe('ha_actuator');
    expect(accepted({ name: 'a', type: 'ha-actuator', mqtt_topics: 't', actions: [{ service: 'light.turn_on' }] }).config.type).toBe('ha_actuator');
  });

  it('says so when the type cannot be known', () => {
    expect(rejected({ name: 'a' }).error).toBe('spawn "a" rejected: type: is required: one of dynamic, llm, ha_actuator, scheduled');
    expect(rejected({ name: 'a', type: 3 }).issues[0]?.message).toMatch(/expected one of/);
  });

  it('rejects non-objects', () => {
    expect(rejected('spawn me').error).toBe('spawn rejected: expected a JSON object with name, type and fields, got string');
  });
});

describe('llm agents', () => {
  it('need a system prompt', () => {
    expect(accepted({ name: 'poet', type: 'llm', instructions: 'Write haiku.' }).config).toMatchObject({ system_prompt: 'Write haiku.' });
    expect(rejected({ name: 'poet', type: 'llm' }).issues).toEqual([{ path: 'system_prompt', message: 'is required (string)' }]);
  });
});

describe('relaxed mode', () => {
  it('is refused before anything else, whatever the spelling', () => {
    for (const field of ['trusted', 'Trusted', 'allowRequire', 'unsafe', 'privileged']) {
      const r = rejected({ name: 'a', type: 'bogus', code: 'x', [field]: true });
      expect(r.issues).toHaveLength(1);
      expect(r.issues[0]?.message).toMatch(/cannot grant .* mode; only the user can/);
    }
    expect(rejected({ name: 'a', type: 'dynamic', code: 'x', sandbox: 'none' }).issues[0]?.message).toMatch(/cannot turn the sandbox off/);
  });
});

describe('stored configs', () => {
  it('round-trip through the canonical schema (registry restore)', () => {
    const { config } = accepted({ name: 'sim', type: 'dynamic', code: 'x' });
    expect(SpawnConfig.parse(JSON.parse(JSON.stringify(config)))).toEqual(config);
  });
});

describe('contractFromSpawnConfig', () => {
  it('declares topics, actuator triggers and the schedule topic', () => {
    const dyn = accepted({ name: 'sim', type: 'dynamic', code: 'x', publishes: 'a/b', output_schema: { temp: 'number' } }).config;
    expect(contractFromSpawnConfig(dyn)).toMatchObject({ agent: 'sim', publishes: ['a/b'], produces_schema: { temp: 'number' } });
    const act = accepted({ name: 'act', type: 'ha_actuator', mqtt_topics: 'custom/triggers/x', actions: [{ service: 'light.turn_on' }] }).config;
    expect(contractFromSpawnConfig(act).triggers).toEqual(['custom/triggers/x']);
    const sch = accepted({ name: 'tick', type: 'scheduled', schedule: { kind: 'interval', seconds: 5 } }).config;
    expect(contractFromSpawnConfig(sch).publishes).toEqual(['schedule/tick/fired']);
  });
});
