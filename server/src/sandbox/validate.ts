// Checks agent code before it runs. The sandbox is what keeps the host safe; this is about telling
// the LLM (and the user) early and precisely what cannot work: no hook, Python pasted by mistake,
// `import` statements, or patterns that exist in Node but not in the sandbox.
import ivm from 'isolated-vm';
import { SDK_FUNCTIONS } from './sdk/index.ts';
import type { HookName } from './types.ts';

export interface CodeIssue {
  message: string;
  line?: number;
  column?: number;
}

export interface CodeCheck {
  ok: boolean;
  /** The code as it will run (markdown fences and `export` keywords blanked, positions kept). */
  code: string;
  /** Hooks found by reading the code (the isolate confirms them at load). */
  hooks: HookName[];
  errors: CodeIssue[];
  warnings: CodeIssue[];
}

function position(code: string, index: number): { line: number; column: number } {
  const before = code.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}

function issueAt(code: string, index: number, message: string): CodeIssue {
  return { message, ...position(code, index) };
}

const blank = (s: string): string => s.replace(/[^\n]/g, ' ');

/** Blanks what an LLM wraps code in, keeping every line and column where it was. */
export function normalizeAgentCode(code: string): string {
  return code
    .replace(/^\s*```[\w-]*[ \t]*$/gm, blank)
    .replace(/^([ \t]*)export\s+default\s+(?=(async\s+)?function\b|class\b)/gm, (m) => blank(m))
    .replace(/^([ \t]*)export\s+(?=(async\s+)?function\b|const\b|let\b|var\b|class\b)/gm, (m) => blank(m))
    .replace(/^[ \t]*export\s*\{[^}]*\}\s*;?[ \t]*$/gm, blank)
    .replace(/^([ \t]*)export\s+default\s+(?=\{)/gm, (_m, indent: string) => `${indent}module.exports = `);
}

const HOOK_PATTERNS: readonly [RegExp, (m: RegExpExecArray) => string][] = [
  [/\bfunction\s*\*?\s*(setup|process|handleTask|handle_task|cleanup)\s*\(/g, (m) => m[1]],
  [/\b(?:const|let|var)\s+(setup|process|handleTask|handle_task|cleanup)\s*=/g, (m) => m[1]],
  [/\b(?:module\.)?exports\.(setup|process|handleTask|handle_task|cleanup)\s*=/g, (m) => m[1]],
  [/\bglobalThis\.(setup|process|handleTask|handle_task|cleanup)\s*=/g, (m) => m[1]],
];

function findHooks(code: string): HookName[] {
  const found = new Set<HookName>();
  const add = (name: string): void => void found.add(name === 'handle_task' ? 'handleTask' : (name as HookName));
  for (const [re, pick] of HOOK_PATTERNS) for (const m of code.matchAll(re)) add(pick(m));
  const exported = /\bmodule\.exports\s*=\s*\{([^}]*)\}/.exec(code);
  if (exported) for (const m of exported[1].matchAll(/\b(setup|process|handleTask|handle_task|cleanup)\b/g)) add(m[1]);
  return [...found];
}

const PYTHON: readonly RegExp[] = [
  /^[ \t]*(?:async[ \t]+)?def[ \t]+\w+[ \t]*\(.*\)[ \t]*(?:->[^:\n]+)?:[ \t]*(?:#.*)?$/m,
  /^[ \t]*(?:import[ \t]+[\w.]+(?:[ \t]+as[ \t]+\w+)?|from[ \t]+[\w.]+[ \t]+import[ \t]+[\w., ()*]+)[ \t]*$/m,
  /^[ \t]*(?:elif[ \t].*|else|try|finally|except(?:[ \t].*)?)[ \t]*:[ \t]*$/m,
];

interface Pattern {
  re: RegExp;
  message: string;
}

const WARNINGS: readonly Pattern[] = [
  { re: /\brequire\s*\(/, message: 'require() is not available: npm packages and Node modules cannot be loaded in the sandbox; use the agent SDK (agent.http.fetch, agent.persist, agent.publish...)' },
  { re: /\bimport\s*\(/, message: 'dynamic import() is not available in the sandbox' },
  { re: /\bprocess\.(?:env|exit|argv|cwd|on|nextTick|platform)\b/, message: 'process is not available: there are no environment variables, keys or tokens in the sandbox' },
  { re: /\bfs\.\w+|\b(?:readFileSync|writeFileSync|readFile|writeFile)\s*\(/, message: 'there is no file system: use agent.persist(key, value) and agent.recall(key)' },
  { re: /\b(?:setTimeout|setInterval|setImmediate)\s*\(/, message: 'there are no timers: use await agent.sleep(ms), or define process(agent) and set poll_interval for periodic work' },
  { re: /(?<![.\w$]|function\s)fetch\s*\(/, message: 'fetch() is not available: use await agent.http.fetch(url)' },
  { re: /\b(?:XMLHttpRequest|WebSocket|net\.connect|dgram|new\s+Worker)\b/, message: 'sockets and workers are not available: use agent.http.fetch, agent.publish and agent.subscribe' },
  { re: /\bwhile\s*\(\s*(?:true|1)\s*\)|\bfor\s*\(\s*;\s*;\s*\)/, message: 'an endless loop is stopped after about a second of CPU time; for periodic work define process(agent) and set poll_interval (or await agent.sleep(ms) inside the loop)' },
  { re: /\b(?:SUPERVISOR_TOKEN|HA_TOKEN|HASSIO_TOKEN|ANTHROPIC_API_KEY|OPENAI_API_KEY|GEMINI_API_KEY|NIM_API_KEY)\b/, message: 'no token or key is available to agents: use agent.ha.* for Home Assistant and agent.llm.chat for the LLM' },
];

const KNOWN = (() => {
  const top = new Set(['state', 'id', 'name']);
  const nested = new Set<string>();
  for (const fn of SDK_FUNCTIONS) {
    for (const path of fn.path === null ? [] : [fn.path, ...(fn.aliases ?? [])]) {
      const [head = '', child] = path.split('.');
      top.add(head);
      if (child !== undefined) nested.add(`${head}.${child}`);
    }
  }
  return { top, nested };
})();

function unknownSdkCalls(code: string): CodeIssue[] {
  const issues: CodeIssue[] = [];
  const seen = new Set<string>();
  for (const m of code.matchAll(/\bagent\.(\w+)(?:\.(\w+))?\s*\(/g)) {
    const [, head = '', child] = m;
    const assigned = new RegExp(`\\bagent\\.${head}\\s*=`).test(code);
    const bad = !KNOWN.top.has(head) ? head : child !== undefined && ['ha', 'llm', 'http'].includes(head) && !KNOWN.nested.has(`${head}.${child}`) ? `${head}.${child}` : undefined;
    if (bad === undefined || assigned || seen.has(bad)) continue;
    seen.add(bad);
    issues.push(issueAt(code, m.index, `agent.${bad}() is not part of the agent SDK`));
  }
  return issues;
}

/** Reads the code without running anything. */
export function lintAgentCode(source: string): CodeCheck {
  const code = normalizeAgentCode(source);
  const errors: CodeIssue[] = [];
  const warnings: CodeIssue[] = [];
  if (code.trim() === '') errors.push({ message: 'the agent has no code' });

  const python = PYTHON.map((re) => re.exec(code)).find((m) => m !== null);
  if (python) errors.push(issueAt(code, python.index + (python[0].length - python[0].trimStart().length), 'this looks like Python; agent code must be JavaScript, e.g. async function setup(agent) { await agent.log("ready"); }'));

  const staticImport = /^[ \t]*import\s+(?:[\w*{}\s,]+\s+from\s+)?['"][^'"]+['"]/m.exec(code);
  if (staticImport) errors.push(issueAt(code, staticImport.index, 'import statements are not available: npm packages and Node modules cannot be loaded in the sandbox; use the agent SDK'));

  const hooks = findHooks(code);
  if (hooks.length === 0 && !python) errors.push({ message: 'no hook found: define at least one of async function setup(agent), process(agent), handleTask(agent, payload) or cleanup(agent) at the top level' });

  for (const { re, message } of WARNINGS) {
    const m = re.exec(code);
    if (m) warnings.push(issueAt(code, m.index, message));
  }
  warnings.push(...unknownSdkCalls(code));
  return { ok: errors.length === 0, code, hooks, errors, warnings };
}

/** isolated-vm reports "Unexpected token '}' [agent.js:3:1]"; this splits off the position. */
export function compileIssue(err: unknown): CodeIssue {
  const raw = err instanceof Error ? err.message : String(err);
  const at = /\s*\[agent\.js:(\d+):(\d+)\]\s*$/.exec(raw);
  if (!at) return { message: `SyntaxError: ${raw}` };
  return { message: `SyntaxError: ${raw.slice(0, at.index)}`, line: Number(at[1]), column: Number(at[2]) };
}

let scratch: ivm.Isolate | undefined;

/** lintAgentCode plus a real parse (in a small isolate that never runs the code). */
export async function checkAgentCode(source: string): Promise<CodeCheck> {
  const check = lintAgentCode(source);
  if (!check.ok) return check;
  if (scratch === undefined || scratch.isDisposed) scratch = new ivm.Isolate({ memoryLimit: 8 });
  try {
    const script = await scratch.compileScript(check.code, { filename: 'agent.js' });
    script.release();
  } catch (err) {
    check.errors.push(compileIssue(err));
    check.ok = false;
  }
  return check;
}

export function formatIssue(issue: CodeIssue): string {
  return issue.line === undefined ? issue.message : `line ${issue.line}, column ${issue.column ?? 1}: ${issue.message}`;
}
