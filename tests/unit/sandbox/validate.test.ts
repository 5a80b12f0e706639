// The code check that runs before an agent does: hooks found in every accepted style, precise
// errors for what cannot run, and warnings for what will not work in the sandbox.
import { describe, expect, test } from 'vitest';
import { checkAgentCode, formatIssue, lintAgentCode, normalizeAgentCode } from '../../../server/src/sandbox/validate.ts';

describe('hooks', () => {
  test.each([
    ['declarations', 'async function setup(agent) {}\nasync function process(agent) {}', ['setup', 'process']],
    ['export keywords', 'export async function handleTask(agent, p) { return p; }\nexport function cleanup() {}', ['handleTask', 'cleanup']],
    ['const arrows', 'const setup = async (agent) => {};\nlet handle_task = async (agent, p) => p;', ['setup', 'handleTask']],
    ['CommonJS exports', 'exports.process = async (agent) => {};\nmodule.exports.setup = async () => {};', ['process', 'setup']],
    ['module.exports object', 'async function a() {}\nmodule.exports = { setup: a, handleTask: a };', ['setup', 'handleTask']],
    ['export default object', 'const setup = async () => {};\nexport default { setup };', ['setup']],
  ])('found in %s', (_style, code, hooks) => {
    const check = lintAgentCode(code);
    expect(check.errors).toEqual([]);
    expect(check.hooks.sort()).toEqual([...hooks].sort());
  });

  test('code without any hook is rejected', () => {
    const check = lintAgentCode('const x = 1;\nfunction helper() { return x; }');
    expect(check.ok).toBe(false);
    expect(check.errors.map((e) => e.message)).toEqual([expect.stringContaining('no hook found: define at least one of async function setup(agent)')]);
  });

  test('empty code is rejected', () => {
    expect(lintAgentCode('   \n').errors[0]?.message).toBe('the agent has no code');
  });
});

describe('errors with line and column', () => {
  test('Python pasted by mistake', () => {
    const check = lintAgentCode('# weather\nasync def setup(agent):\n    await agent.log("x")\n');
    expect(check.ok).toBe(false);
    expect(check.errors[0]).toMatchObject({ line: 2, column: 1, message: expect.stringContaining('this looks like Python') as unknown });
    expect(lintAgentCode('import httpx\n\nasync function setup() {}').errors[0]).toMatchObject({ line: 1, message: expect.stringContaining('Python') as unknown });
  });

  test('import statements', () => {
    const check = lintAgentCode("const a = 1;\n  import axios from 'axios';\nasync function setup() {}");
    expect(check.errors).toEqual([{ line: 2, column: 1, message: expect.stringContaining('import statements are not available') as unknown }]);
  });

  test('a syntax error reports the line and column of the original code, fences and exports included', async () => {
    const code = "```javascript\nexport async function setup(agent) {\n  const x = ;\n}\n```";
    const check = await checkAgentCode(code);
    expect(check.ok).toBe(false);
    expect(check.errors).toEqual([{ line: 3, column: 13, message: "SyntaxError: Unexpected token ';'" }]);
    expect(formatIssue(check.errors[0])).toBe("line 3, column 13: SyntaxError: Unexpected token ';'");
  });

  test('valid code passes the full check without running it', async () => {
    const check = await checkAgentCode('globalThis.ran = true;\nasync function setup(agent) { await agent.log("hi"); }');
    expect(check).toMatchObject({ ok: true, errors: [], warnings: [], hooks: ['setup'] });
  });
});

test('normalizing keeps positions: same number of lines, same columns for untouched code', () => {
  const code = '```js\nexport async function setup(agent) {}\nexport { setup };\n```';
  const normalized = normalizeAgentCode(code);
  expect(normalized.split('\n')).toHaveLength(4);
  expect(normalized.split('\n')[1]).toBe('       async function setup(agent) {}');
  expect(normalized.trim()).toBe('async function setup(agent) {}');
});

describe('warnings for what cannot work in the sandbox', () => {
  const warn = (body: string): string[] => lintAgentCode(`async function setup(agent) {\n${body}\n}`).warnings.map((w) => w.message);

  test.each([
    ["const x = require('axios');", 'require() is not available'],
    ["const m = await import('x');", 'dynamic import() is not available'],
    ['const key = process.env.API_KEY;', 'process is not available'],
    ["fs.writeFileSync('/tmp/x', 'y');", 'there is no file system'],
    ['setInterval(() => agent.log("tick"), 1000);', 'there are no timers'],
    ["const r = await fetch('https://example.com');", 'fetch() is not available: use await agent.http.fetch(url)'],
    ["const ws = new WebSocket('wss://x');", 'sockets and workers are not available'],
    ['while (true) { agent.log("x"); }', 'an endless loop is stopped'],
    ['const t = "SUPERVISOR_TOKEN";', 'no token or key is available to agents'],
    ["await agent.sendMail('x');", 'agent.sendMail() is not part of the agent SDK'],
    ["await agent.ha.turnOn('light.x');", 'agent.ha.turnOn() is not part of the agent SDK'],
  ])('%s', (body, expected) => {
    expect(warn(body).join('\n')).toContain(expected);
  });

  test('the SDK itself, its aliases and agent-defined helpers raise no warning', () => {
    expect(
      warn(`const r = await agent.http.fetch('https://x'); await agent.send_to('a', 1); await agent.ha.call_service('light.turn_on');
        agent.helper = () => 1; agent.helper(); agent.state.w = agent.window('t', 60); for (let i = 0; i < 3; i++) {}`),
    ).toEqual([]);
  });

  test('warnings carry the position of the first occurrence', () => {
    const check = lintAgentCode('async function setup(agent) {\n  agent.log(1);\n    setTimeout(() => {}, 5);\n}');
    expect(check.warnings).toEqual([{ line: 3, column: 5, message: expect.stringContaining('there are no timers') as unknown }]);
    expect(check.ok).toBe(true);
  });
});
