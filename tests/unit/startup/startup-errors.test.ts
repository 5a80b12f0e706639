// What a person reads when the server cannot start (issue 17, item 9).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainStartupError } from '../../../server/src/startup-errors.ts';

const MAIN = new URL('../../../server/src/main.ts', import.meta.url);

function fetchFailed(cause: object): TypeError {
  return new TypeError('fetch failed', { cause });
}

describe('start-up errors', () => {
  it('say that SUPERVISOR_TOKEN without a Supervisor is the problem, not just "fetch failed"', () => {
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND supervisor'), { code: 'ENOTFOUND', hostname: 'supervisor' });
    const text = explainStartupError(fetchFailed(dns), { supervisorToken: true });
    expect(text).toContain('cannot resolve host supervisor');
    expect(text).toContain('unset SUPERVISOR_TOKEN');
    expect(text).not.toBe('Wactorz failed to start: fetch failed');
  });

  it('name the real cause of other failed requests, and the busy port', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' });
    expect(explainStartupError(fetchFailed(refused), { supervisorToken: false })).toMatch(/ECONNREFUSED 127\.0\.0\.1:8123[\s\S]*HA_URL/);
    const busy = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE', syscall: 'listen', port: 8099 });
    expect(explainStartupError(busy, { supervisorToken: false })).toMatch(/port 8099 is already in use/);
    expect(explainStartupError(new Error('boom'), { supervisorToken: false })).toBe('Wactorz failed to start: boom');
  });

  it('under an older Node, say "needs Node.js 24" before any native addon is loaded', () => {
    // The entry file imports nothing statically: a static import would load better-sqlite3 (built
    // for Node 24) before the check and die with an ABI stack trace.
    expect(readFileSync(MAIN, 'utf8')).not.toMatch(/^import /m);
    const older = 'data:text/javascript,Object.defineProperty(process.versions,"node",{value:"20.19.0"})';
    const r = spawnSync(process.execPath, ['--import', older, MAIN.pathname], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Wactorz needs Node.js 24 or newer; this is v20.19.0');
    expect(r.stderr).toContain('npm start');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
