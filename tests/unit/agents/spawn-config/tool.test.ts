import { describe, expect, it } from 'vitest';
import {
  DELEGATE_TOOL, DELETE_AGENT_TOOL, parseDelegateToolCall, parseDeleteToolCall, parseSpawnToolCall, SPAWN_AGENT_TOOL,
} from '../../../../server/src/agents/spawn-config/tool.ts';
import { parseSpawnBlocks } from '../../../../server/src/agents/spawn-config/parse-blocks.ts';

type JsonSchema = { type?: string; properties?: Record<string, JsonSchema>; required?: string[]; enum?: string[]; pattern?: string; $schema?: string };

describe('spawn_agent tool definition', () => {
  const params = SPAWN_AGENT_TOOL.parameters as JsonSchema;

  it('is one flat object, as Anthropic and OpenAI tool schemas require', () => {
    expect(SPAWN_AGENT_TOOL.name).toBe('spawn_agent');
    expect(params.type).toBe('object');
    expect(params.$schema).toBeUndefined();
    expect(params.required).toEqual(['name', 'type']);
  });

  it('is generated from the zod schemas: every field of every type, with their rules', () => {
    const props = params.properties ?? {};
    for (const field of ['description', 'code', 'poll_interval', 'install', 'node', 'replace', 'publishes', 'subscribes', 'system_prompt',
      'input_schema', 'output_schema', 'automation_id', 'mqtt_topics', 'detection_filter', 'conditions', 'cooldown_seconds', 'actions',
      'schedule', 'publish_topic', 'payload']) {
      expect(props, field).toHaveProperty(field);
    }
    expect(props.type?.enum).toEqual(['dynamic', 'llm', 'ha_actuator', 'scheduled']);
    expect(props.name?.pattern).toBe('^[a-z0-9][a-z0-9_-]{0,63}$');
    expect(props).not.toHaveProperty('trusted');
    expect(JSON.stringify(params)).toContain('"maximum":604800');
  });

  it('delete and delegate tools are objects with their required fields', () => {
    expect((DELETE_AGENT_TOOL.parameters as JsonSchema).required).toEqual(['name']);
    expect((DELEGATE_TOOL.parameters as JsonSchema).required).toEqual(['agent', 'task']);
  });
});

describe('tool calls go through the same validation as blocks', () => {
  it('accepts arguments as an object or as a JSON string, identically to a block', () => {
    const args = { name: 'sim', type: 'dynamic', code: 'async function setup(a) {}' };
    const fromObject = parseSpawnToolCall(args);
    const fromString = parseSpawnToolCall(JSON.stringify(args));
    const fromBlock = parseSpawnBlocks(`<spawn>${JSON.stringify(args)}</spawn>`)[0];
    expect(fromObject).toMatchObject({ ok: true });
    expect(fromString).toEqual(fromObject);
    expect(fromBlock?.ok && fromBlock.config).toEqual(fromObject.ok && fromObject.config);
  });

  it('refuses trusted:true in a tool call too', () => {
    const r = parseSpawnToolCall({ name: 'x', type: 'dynamic', code: 'y', trusted: true });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/trusted: a spawn block cannot grant trusted mode/);
  });

  it('reports broken JSON arguments with a position', () => {
    const r = parseSpawnToolCall('{"name": "x", "type": }');
    expect(!r.ok && r.error).toBe('spawn_agent rejected: invalid JSON at line 1, column 23: unexpected "}" in the value of "type"; strings need quotes');
  });

  it('parses delete and delegate calls', () => {
    expect(parseDeleteToolCall({ name: 'old' })).toEqual({ ok: true, name: 'old' });
    expect(parseDeleteToolCall({ name: 'main' })).toMatchObject({ ok: false, error: expect.stringContaining('reserved') as string });
    expect(parseDelegateToolCall({ agent: 'w', task: { city: 'Athens' } })).toEqual({ ok: true, agent: 'w', task: { city: 'Athens' } });
    expect(parseDelegateToolCall({ agent: 'w', task: '' }).ok).toBe(false);
  });
});
