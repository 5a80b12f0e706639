import { describe, expect, it } from 'vitest';
import { parseAgentBlocks, parseSpawnBlocks, type SpawnBlock } from '../../../../server/src/agents/spawn-config/parse-blocks.ts';
import { MAX_CODE_CHARS } from '../../../../server/src/agents/spawn-config/limits.ts';

function ok(block: SpawnBlock | undefined) {
  if (!block?.ok) throw new Error(`expected a good block, got ${block ? block.error : 'nothing'}`);
  return block;
}
function bad(block: SpawnBlock | undefined) {
  if (!block || block.ok) throw new Error('expected a rejected block');
  return block;
}

const WEATHER = `<spawn>
{
  "name": "weather-agent",
  "type": "dynamic",
  "description": "Fetches live weather",
  "poll_interval": 3600,
  "code": "
async function setup(agent) {
  await agent.log('Weather agent ready');
}
async function handleTask(agent, payload) {
  const city = payload.city ?? "Athens";
  const r = await agent.http.fetch(\`https://wttr.in/\${city}?format=j1\`);
  return { temp: r.json().current_condition[0].temp_C, note: "it's \\"fine\\"" };
}
"
}
</spawn>`;

describe('parseSpawnBlocks', () => {
  it('parses the seed-style block with raw newlines, quotes and braces in code', () => {
    const [block] = parseSpawnBlocks(`Sure! ${WEATHER} Done.`);
    const { config, warnings } = ok(block);
    expect(config).toMatchObject({ name: 'weather-agent', type: 'dynamic', poll_interval: 3600, description: 'Fetches live weather' });
    if (config.type !== 'dynamic') throw new Error('type');
    expect(config.code).toContain('const city = payload.city ?? "Athens";');
    expect(config.code).toContain('return { temp: r.json().current_condition[0].temp_C, note: "it\'s \\"fine\\"" };');
    expect(config.code.startsWith('\nasync function setup(agent) {')).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('parses well-escaped one-line JSON code exactly', () => {
    const code = 'async function process(agent) {\n  await agent.publish("sensors/data", {temp: 20});\n}';
    const [block] = parseSpawnBlocks(`<spawn>${JSON.stringify({ name: 'sim', type: 'dynamic', code, publishes: 'sensors/data' })}</spawn>`);
    expect(ok(block).config).toMatchObject({ code, publishes: ['sensors/data'] });
  });

  it('parses several blocks and reports a broken one without losing the good ones', () => {
    const text = [
      '<spawn>{"name": "one", "type": "dynamic", "code": "async function setup(a) {}"}</spawn>',
      '<spawn>{"name": "two", "type": "dynamic", "code": "x" "poll_interval": }</spawn>',
      '<spawn>{"name": "three", "type": "llm", "system_prompt": "You are terse."}</spawn>',
    ].join('\n');
    const blocks = parseSpawnBlocks(text);
    expect(blocks.map((b) => b.ok)).toEqual([true, false, true]);
    const broken = bad(blocks[1]);
    expect(broken.name).toBe('two');
    expect(broken.error).toMatch(/^spawn "two" rejected: invalid JSON at line 1, column \d+: /);
    expect(blocks[1]?.start).toBeGreaterThan(blocks[0]?.end ?? Infinity);
  });

  it('names a missing name', () => {
    const block = bad(parseSpawnBlocks('<spawn>{"type": "dynamic", "code": "x"}</spawn>')[0]);
    expect(block.issues).toEqual([{ path: 'name', message: 'is required (string)' }]);
    expect(block.error).toBe('spawn rejected: name: is required (string)');
  });

  it('names a bad type and lists the valid ones', () => {
    const block = bad(parseSpawnBlocks('<spawn>{"name": "x", "type": "quantum", "code": "y"}</spawn>')[0]);
    expect(block.error).toBe('spawn "x" rejected: type: unknown agent type "quantum"; expected one of dynamic, llm, ha_actuator, scheduled');
  });

  it('rejects trusted: true (and its Python spelling) with a clear error', () => {
    for (const flag of ['"trusted": true', "'trusted': True", '"unsafe": "yes"', '"sandbox": false']) {
      const block = bad(parseSpawnBlocks(`<spawn>{"name": "x", "type": "dynamic", "code": "y", ${flag}}</spawn>`)[0]);
      expect(block.error).toMatch(/spawn "x" rejected: (trusted|unsafe|sandbox): a spawn block cannot .* only the user can/);
    }
  });

  it('strips trusted: false with a warning and still spawns', () => {
    const block = ok(parseSpawnBlocks('<spawn>{"name": "x", "type": "dynamic", "code": "y", "trusted": false}</spawn>')[0]);
    expect(block.config).not.toHaveProperty('trusted');
    expect(block.warnings).toContain('ignored "trusted": sandbox settings come from the user, not from spawn blocks');
  });

  it('rejects huge code with its size, and accepts large code under the limit', () => {
    const huge = 'x'.repeat(MAX_CODE_CHARS + 1);
    const rejected = bad(parseSpawnBlocks(`<spawn>{"name": "big", "type": "dynamic", "code": "${huge}"}</spawn>`)[0]);
    expect(rejected.error).toBe(`spawn "big" rejected: code: is too long (max ${MAX_CODE_CHARS} characters) (got a string of ${MAX_CODE_CHARS + 1} characters)`);
    const large = 'agent.log("tick", {"n": 1});\n'.repeat(5000);
    expect(ok(parseSpawnBlocks(`<spawn>{"name": "big", "type": "dynamic", "code": "${large}"}</spawn>`)[0]).config).toMatchObject({ code: large });
  });

  it('refuses a block too large to parse at all', () => {
    const block = bad(parseSpawnBlocks(`<spawn>{"name": "x", "code": "${'y'.repeat(600_000)}"}</spawn>`)[0]);
    expect(block.error).toMatch(/the block is \d+ characters long; the limit is 524288/);
  });

  it('reads ```json fences inside the block and around it', () => {
    const inside = ok(parseSpawnBlocks('<spawn>\n```json\n{"name": "f", "type": "llm", "system_prompt": "hi"}\n```\n</spawn>')[0]);
    expect(inside.config.name).toBe('f');
    expect(inside.warnings).toContain('JSON repaired: removed a markdown fence around the JSON');
    const around = parseAgentBlocks('Here:\n```xml\n<spawn>{"name": "g", "type": "llm", "system_prompt": "hi"}</spawn>\n```\nEnjoy.');
    expect(ok(around.spawns[0]).config.name).toBe('g');
    expect(around.text).toBe('Here:\n\nEnjoy.');
  });

  it('handles CRLF line ends, in code too', () => {
    const text = '<spawn>\r\n{\r\n  "name": "crlf",\r\n  "type": "dynamic",\r\n  "code": "async function setup(agent) {\r\n  await agent.log(\\"hi\\");\r\n}"\r\n}\r\n</spawn>';
    expect(ok(parseSpawnBlocks(text)[0]).config).toMatchObject({ name: 'crlf', code: 'async function setup(agent) {\n  await agent.log("hi");\n}' });
  });

  it('accepts single-quoted keys, Python literals and trailing commas, noting the repairs', () => {
    const block = ok(parseSpawnBlocks("<spawn>{'name': 'py', 'type': 'dynamic', 'code': 'x = 1', 'replace': True, 'node': None,}</spawn>")[0]);
    expect(block.config).toMatchObject({ name: 'py', replace: true });
    expect(block.config).not.toHaveProperty('node');
    expect(block.warnings).toEqual(expect.arrayContaining(['JSON repaired: read single-quoted strings', 'JSON repaired: read True as true']));
  });

  it('reports a reply cut off inside a block', () => {
    const block = bad(parseSpawnBlocks('<spawn>{"name": "cut", "type": "dynamic", "code": "async function')[0]);
    expect(block.error).toBe('spawn "cut" rejected: the <spawn> block is never closed with </spawn> (was the reply cut off?)');
  });

  it('rejects an empty block and an array of configs with guidance', () => {
    expect(bad(parseSpawnBlocks('<spawn>  </spawn>')[0]).error).toBe('spawn rejected: the block is empty; it must hold one JSON object');
    expect(bad(parseSpawnBlocks('<spawn>[{"name": "a"}]</spawn>')[0]).error).toMatch(/got an array \(use one block per agent\)/);
  });

  it('matches tags case-insensitively and with attributes', () => {
    expect(ok(parseSpawnBlocks('<SPAWN id="1">{"name": "c", "type": "llm", "system_prompt": "p"}</Spawn >')[0]).config.name).toBe('c');
  });

  it('parses a two-agent pipeline (state filter + actuator) as a planner writes it', () => {
    const reply = `Here is the rule:
<spawn>
{
  "name": "motion-hallway-state-filter",
  "type": "dynamic",
  "description": "Turns "motion on" into a trigger",
  "subscribes": ["ha/state_changes/#"],
  "publishes": ["custom/triggers/motion-hallway"],
  "code": "async function setup(agent) {
  agent.subscribe('ha/state_changes/#', async (payload) => {
    if (payload.new_state?.state !== "on") return;
    await agent.publish('custom/triggers/motion-hallway', {"triggered": true});
  });
}"
}
</spawn>
<spawn>
{
  "name": "motion-hallway-actuator",
  "type": "ha_actuator",
  "mqtt_topics": ["custom/triggers/motion-hallway"],
  "detection_filter": {"triggered": True},
  "actions": [{"domain": "light", "service": "turn_on", "entity_id": "light.hallway"}]
}
</spawn>`;
    const [filter, actuator] = parseSpawnBlocks(reply).map(ok);
    expect(filter?.config).toMatchObject({ description: 'Turns "motion on" into a trigger', publishes: ['custom/triggers/motion-hallway'] });
    expect(filter?.config.type === 'dynamic' && filter.config.code).toContain(`await agent.publish('custom/triggers/motion-hallway', {"triggered": true});\n  });\n}`);
    expect(actuator?.config).toMatchObject({ detection_filter: { triggered: true }, actions: [{ target: { entity_id: ['light.hallway'] } }] });
  });

  it('does not cut code at a quoted key that merely looks like a spawn field', () => {
    const block = '<spawn>{"name": "cfg", "type": "dynamic", "code": "const cfg = {\n  "topic": "sensors/data",\n  "name": "x"\n};\nagent.log("hi")",\n"poll_interval": 5}</spawn>';
    expect(ok(parseSpawnBlocks(block)[0]).config).toMatchObject({
      name: 'cfg',
      poll_interval: 5,
      code: 'const cfg = {\n  "topic": "sensors/data",\n  "name": "x"\n};\nagent.log("hi")',
    });
  });

  it('finds nothing in plain text', () => {
    expect(parseSpawnBlocks('I could spawn an agent for that. Shall I?')).toEqual([]);
  });
});
