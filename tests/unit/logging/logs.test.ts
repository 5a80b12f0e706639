// What the log looks like (issue 17, item 8): pretty lines for a person at a terminal, JSON for
// the add-on, and one line per HTTP request at debug instead of two at info.
import { spawnSync } from 'node:child_process';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../../server/src/http/app.ts';
import { healthy } from '../../helpers/http-app.ts';
import { prettyLine } from '../../../server/src/log-pretty.ts';

describe('log lines', () => {
  it('read as one line with time, level, message and fields in a terminal', () => {
    const time = new Date(2026, 0, 10, 12, 4, 31).getTime();
    const json = JSON.stringify({ level: 30, time, app: 'wactorz', component: 'ha', url: 'http://127.0.0.1:8123', msg: 'demo home listening' });
    expect(prettyLine(json, false)).toBe('12:04:31 INFO  demo home listening  component=ha url=http://127.0.0.1:8123\n');
    expect(prettyLine(json, true)).toContain('\x1b[32mINFO \x1b[0m');
    const err = prettyLine(JSON.stringify({ level: 50, time, msg: 'chat turn failed', err: { message: 'boom', stack: 'Error: boom\n    at x' } }), false);
    expect(err).toMatch(/^12:04:31 ERROR chat turn failed\nError: boom\n {4}at x\n$/);
  });

  it('are JSON when nobody is at a terminal (the add-on), pretty when someone is', () => {
    const script = "import('./server/src/logger.ts').then(({ createLogger }) => createLogger('info').info({ port: 8099 }, 'listening'))";
    const piped = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(JSON.parse(piped.stdout)).toMatchObject({ level: 30, msg: 'listening', port: 8099, app: 'wactorz' });
    const pretty = spawnSync(process.execPath, ['-e', script.replace("createLogger('info')", "createLogger('info', 'pretty')")], { encoding: 'utf8' });
    expect(pretty.stdout).toMatch(/^\d\d:\d\d:\d\d INFO {2}listening {2}port=8099\n$/);
  });
});

describe('HTTP request logging', () => {
  async function logOf(level: 'info' | 'debug'): Promise<Record<string, unknown>[]> {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) });
    const app = await buildApp({ logger, health: healthy, startedAt: new Date(), panelDir: '/nonexistent' });
    try {
      await app.inject({ method: 'GET', url: '/api/health?verbose=1' });
    } finally {
      await app.close();
    }
    return lines;
  }

  it('writes one line per request at debug, none at info', async () => {
    expect(await logOf('info')).toEqual([]);
    const debug = (await logOf('debug')).filter((l) => l.reqId !== undefined);
    expect(debug.map((l) => l.msg)).toEqual(['GET /api/health 200']);
    expect(debug[0]).toMatchObject({ level: 20, status: 200 });
  });
});
