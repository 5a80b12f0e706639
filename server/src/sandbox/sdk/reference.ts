// The SDK reference handed to the LLM when it writes or fixes agent code, generated from the
// registry so that the prompt, the docs and the sandbox cannot drift apart.
import { DEFAULT_LIMITS } from '../limits.ts';
import type { Scope } from '../types.ts';
import { ISOLATE_FEATURES, SDK_FUNCTIONS } from './index.ts';

const HEADER = `Agent code is JavaScript (not Python), run in an isolated sandbox. Define any of these async hooks as top-level functions:
  async function setup(agent) {}             runs once at start
  async function process(agent) {}           runs every poll_interval seconds (limit 120 s per run)
  async function handleTask(agent, payload) { return result; }   answers a task (limit 60 s); handle_task works too
  async function cleanup(agent) {}           runs when the agent stops
The agent object is the only way out: there is no require/import, no npm packages, no process, no file system, no sockets, no fetch() and no setTimeout/setInterval (use agent.http.fetch, agent.persist/recall, agent.sleep and process()). No token or key is available: Home Assistant is reached through agent.ha.*.
Every agent.* method may be awaited. Methods marked "plain value" return their value directly, so they also work without await (e.g. in an if).
Each method that returns a promise allows at most ${DEFAULT_LIMITS.maxPendingCalls} calls pending at once per agent (${DEFAULT_LIMITS.maxPendingHeavyCalls} for llm.chat, http.fetch, ha.cameraSnapshot and sendToMany); past that the call throws at once: await calls (or batch them) before starting more.
Topics are relative to the system root. An agent reads custom/..., ha/state_changes/..., agents/{name}/data/... and other topics agents publish to; other agents' tasks and replies and the system's topics (agents/..., nodes/..., system/...) cannot be subscribed.
Long synchronous loops are stopped after about a second of CPU time; memory is limited.`;

export interface ReferenceOptions {
  /** Leave out what these scopes do not grant (an agent's own reference). */
  scopes?: readonly Scope[];
}

export function sdkReference(options: ReferenceOptions = {}): string {
  const lines = [HEADER, '', 'agent API:'];
  for (const fn of SDK_FUNCTIONS) {
    if (fn.path === null) continue;
    if (options.scopes !== undefined && fn.scope !== null && !options.scopes.includes(fn.scope)) continue;
    lines.push(`- ${fn.doc.signature}`, `    returns ${fn.doc.returns}.`, `    ${fn.doc.description}`);
    if (fn.doc.example !== undefined) lines.push(...fn.doc.example.split('\n').map((l) => `    e.g. ${l}`));
  }
  for (const feature of ISOLATE_FEATURES) {
    lines.push(`- ${feature.doc.signature}`, `    ${feature.doc.description}`);
    if (feature.doc.example !== undefined) lines.push(`    e.g. ${feature.doc.example}`);
  }
  lines.push('', 'Also available: agent.id and agent.name (strings).');
  return lines.join('\n');
}

export const SDK_REFERENCE = sdkReference();
