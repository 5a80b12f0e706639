// The isolate-side half of the SDK, generated from the registry and run in each new isolate before
// the agent's code. It receives two host callbacks and keeps them in its closure: agent code sees
// only `agent` (plain functions and objects made inside the isolate) and never a Reference or a
// host object. Everything crosses as JSON text. Host errors become plain `Error`s made here.
//
// Async SDK calls do not use isolated-vm's promise bridging: the host answers by calling
// `deliver(id, reply)` as a fresh entry with the CPU limit, so agent code resumed after an
// `await` is limited like any other entry (isolated-vm resolves its own async callbacks outside
// any timeout).
import { ISOLATE_FEATURES, SDK_FUNCTIONS } from './sdk/index.ts';
import type { IsolateFeature, SdkFunction } from './sdk/index.ts';

const PRELUDE = String.raw`'use strict';
const hostSync = $0;
const hostAsync = $1;
const G = globalThis;
const JSONparse = JSON.parse;
const JSONstringify = JSON.stringify;
const ErrorCtor = Error;
const PromiseCtor = Promise;
const MapCtor = Map;
const freeze = Object.freeze;
const assign = Object.assign;
const defineProperty = Object.defineProperty;
const hasOwn = Object.hasOwn;
const globalEval = G.eval;
const info = JSONparse($2);
const pending = new MapCtor();
// Bounds on pending async calls (pending.ts): counted here, in objects without a prototype that
// agent code cannot reach or patch, so a runaway loop is refused at once, without host round trips.
const bounds = info.pending;
const inFlight = { __proto__: null };
const reported = { __proto__: null };
const subscribers = new MapCtor();
let nextCall = 1;
let nextSub = 1;

const fail = (message) => new ErrorCtor(message);
// A refusal in a runaway loop is made thousands of times: a short stack (down to the agent's
// line) keeps it cheap. Agent code may have changed stackTraceLimit; it is put back.
function refusal(message) {
  const limit = ErrorCtor.stackTraceLimit;
  ErrorCtor.stackTraceLimit = 4;
  try {
    return new ErrorCtor(message);
  } finally {
    ErrorCtor.stackTraceLimit = limit;
  }
}
const resolved = () => new PromiseCtor((resolve) => resolve(undefined));

function encode(args) {
  let text;
  try {
    text = JSONstringify(args);
  } catch (e) {
    throw fail('this value cannot be sent to the host (it must be JSON: no functions, cycles or BigInt): ' + (e && e.message));
  }
  if (text === undefined) text = 'null';
  if (text.length > info.maxCallBytes) throw fail('this call carries ' + text.length + ' bytes, over the limit of ' + info.maxCallBytes);
  return text;
}

function decode(text) {
  const reply = JSONparse(text);
  // Own keys only: agent code may have polluted Object.prototype with an "error" of its own.
  if (hasOwn(reply, 'error')) throw fail(reply.error);
  return hasOwn(reply, 'result') ? reply.result : undefined;
}

const rt = freeze({
  Error: ErrorCtor,
  freeze,
  assign,
  defineProperty,
  parse: JSONparse,
  stringify: JSONstringify,
  value(name, args) {
    return decode(hostSync(name, encode(args)));
  },
  ack(name, args) {
    decode(hostSync(name, encode(args)));
    return resolved();
  },
  call(name, args) {
    // Past the bound the call throws here and now instead of returning a rejected promise: a
    // runaway loop would pile up one rejected promise per call, which costs the isolate dearly.
    const bound = hasOwn(bounds, name) ? bounds[name] : undefined;
    if (bound !== undefined) {
      const n = inFlight[name] || 0;
      if (n >= bound.limit) {
        // Reported to the host once per run of refusals, not once per refused call.
        if (reported[name] !== true) {
          reported[name] = true;
          hostSync('pending.refused', JSONstringify([name]));
        }
        throw refusal(bound.message);
      }
    }
    return new PromiseCtor((resolve, reject) => {
      const text = encode(args);
      if (bound !== undefined) inFlight[name] = (inFlight[name] || 0) + 1;
      const id = nextCall++;
      pending.set(id, { name, resolve, reject });
      hostAsync(id, name, text);
    });
  },
  addSubscriber(fn) {
    const id = nextSub++;
    subscribers.set(id, fn);
    return id;
  },
  removeSubscriber(id) {
    subscribers.delete(id);
  },
});

const agent = {};
defineProperty(agent, 'id', { value: info.id, enumerable: true });
defineProperty(agent, 'name', { value: info.name, enumerable: true });

function place(path, fn) {
  const parts = path.split('.');
  let at = agent;
  for (let i = 0; i < parts.length - 1; i++) {
    if (at[parts[i]] === undefined) at[parts[i]] = {};
    at = at[parts[i]];
  }
  at[parts[parts.length - 1]] = fn;
}
`;

const EPILOGUE = String.raw`
for (const key of Object.keys(agent)) {
  const v = agent[key];
  if (v !== null && typeof v === 'object' && key !== 'state') freeze(v);
}

const unavailable = (what, instead) => function () {
  throw fail(what + ' is not available in the sandbox: ' + instead);
};
G.require = unavailable('require()', 'agents cannot load npm packages or Node modules; use the agent SDK (agent.http.fetch, agent.persist, agent.publish...)');
G.fetch = unavailable('fetch()', 'use await agent.http.fetch(url)');
for (const t of ['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval']) {
  G[t] = unavailable(t, 'use await agent.sleep(ms), or define process(agent) and set poll_interval for periodic work');
}
const mod = { exports: {} };
G.module = mod;
G.exports = mod.exports;
// No shared memory or blocking waits, and no WebAssembly memory outside the heap limit.
delete G.WebAssembly;
delete G.SharedArrayBuffer;
delete G.Atomics;

const HOOKS = ['setup', 'process', 'handleTask', 'handle_task', 'cleanup'];
const hooks = { __proto__: null };

function collectHooks() {
  const exported = mod.exports;
  for (const n of HOOKS) {
    let f;
    try {
      // Indirect eval sees top-level function, const and let declarations of the agent's script.
      f = globalEval('typeof ' + n + " === 'function' ? " + n + ' : undefined');
    } catch (e) {
      f = undefined;
    }
    if (typeof f !== 'function' && exported !== null && (typeof exported === 'object' || typeof exported === 'function')) {
      try { f = exported[n]; } catch (e) { f = undefined; }
    }
    if (typeof f === 'function') hooks[n] = f;
  }
  if (hooks.handleTask === undefined && hooks.handle_task !== undefined) hooks.handleTask = hooks.handle_task;
  return JSONstringify(['setup', 'process', 'handleTask', 'cleanup'].filter((n) => hooks[n] !== undefined));
}

function describe(e) {
  try {
    if (e !== null && (typeof e === 'object' || typeof e === 'function')) {
      return {
        name: e.name === undefined ? 'Error' : String(e.name),
        message: e.message === undefined ? String(e) : String(e.message),
        stack: typeof e.stack === 'string' ? e.stack : '',
      };
    }
    return { name: 'Error', message: 'a non-error value was thrown: ' + String(e), stack: '' };
  } catch (_) {
    return { name: 'Error', message: 'a value was thrown that cannot be described', stack: '' };
  }
}

function result(value) {
  try {
    const text = JSONstringify({ result: value === undefined ? null : value });
    return text === undefined ? '{"result":null}' : text;
  } catch (e) {
    return JSONstringify({ error: { name: 'TypeError', message: 'the returned value is not JSON: ' + describe(e).message, stack: '' } });
  }
}

async function runHook(name, payloadText) {
  const fn = hooks[name];
  if (fn === undefined) return '{"missing":true}';
  let value;
  try {
    value = payloadText === undefined ? await fn(agent) : await fn(agent, JSONparse(payloadText));
  } catch (e) {
    return JSONstringify({ error: describe(e) });
  }
  return result(value);
}

async function dispatch(subId, topic, payloadText) {
  const fn = subscribers.get(subId);
  if (fn === undefined) return '{"result":null}';
  try {
    await fn(JSONparse(payloadText), topic);
  } catch (e) {
    return JSONstringify({ error: describe(e) });
  }
  return '{"result":null}';
}

function deliver(id, text) {
  const p = pending.get(id);
  if (p === undefined) return;
  pending.delete(id);
  if (hasOwn(bounds, p.name)) {
    const n = inFlight[p.name] - 1;
    inFlight[p.name] = n;
    if (n < bounds[p.name].limit) reported[p.name] = false;
  }
  let reply;
  try {
    reply = JSONparse(text);
  } catch (e) {
    p.reject(fail('the host sent an unreadable reply'));
    return;
  }
  if (hasOwn(reply, 'error')) p.reject(fail(reply.error));
  else p.resolve(hasOwn(reply, 'result') ? reply.result : undefined);
}

return { deliver, runHook, dispatch, collectHooks };
`;

function installFunction(fn: SdkFunction): string {
  if (fn.path === null) return '';
  const name = JSON.stringify(fn.name);
  const factory = fn.shim ?? `function (rt, name) { return (...args) => rt.${fn.mode === 'async' ? 'call' : fn.mode}(name, args); }`;
  const places = [fn.path, ...(fn.aliases ?? [])].map((p) => `place(${JSON.stringify(p)}, fn);`).join(' ');
  return `{ const fn = (${factory})(rt, ${name}); ${places} }\n`;
}

function installFeature(feature: IsolateFeature): string {
  return `${feature.install}\n`;
}

/**
 * Body of the closure run by `context.evalClosure` with $0 = sync host callback, $1 = async host
 * callback (ignored result), $2 = JSON of { id, name, maxCallBytes, pending } (pending:
 * IsolatePendingLimits). Returns the entry points.
 */
export function buildBootstrap(functions: readonly SdkFunction[] = SDK_FUNCTIONS, features: readonly IsolateFeature[] = ISOLATE_FEATURES): string {
  return PRELUDE + functions.map(installFunction).join('') + features.map(installFeature).join('') + EPILOGUE;
}

export const BOOTSTRAP = buildBootstrap();
