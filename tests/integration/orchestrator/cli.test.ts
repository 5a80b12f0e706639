// The CLI against a real HTTP server (the Fastify app with the orchestrator's ChatService), as a
// user at a terminal would see it: the answer streams in over the WebSocket while POST /api/chat
// runs; lines are read from a stream; history is kept in a file.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createChatService } from '../../../server/src/services/chat.ts';
import { buildApp } from '../../../server/src/http/app.ts';
import { parseCliArgs, CliUsageError } from '../../../server/src/interfaces/cli/args.ts';
import { appendHistory, loadHistory } from '../../../server/src/interfaces/cli/history-file.ts';
import { startRemoteSession } from '../../../server/src/interfaces/cli/remote-session.ts';
import { runRepl, runTurn } from '../../../server/src/interfaces/cli/repl.ts';
import { reply } from '../../helpers/fake-llm/index.ts';
import { healthy } from '../../helpers/http-app.ts';
import { EchoAgent, harness, type Harness } from '../../unit/agents/main/harness.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

async function server(): Promise<{ h: Harness; url: string }> {
  const h = await harness();
  cleanups.push(() => h.close());
  const app = await buildApp({ health: healthy, startedAt: new Date(), panelDir: '/nonexistent', services: { chat: createChatService(h.orch) } });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => app.close());
  return { h, url };
}

describe('the CLI against a running server', () => {
  it('streams an answer over the WebSocket while the POST runs, without repeating activity the answer says', async () => {
    const { h, url } = await server();
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    h.script.chat = async () => {
      await held;
      return reply.text('Spawning it now. <spawn>{"name": "lamp-watch", "type": "llm", "system_prompt": "watch"}</spawn>', { chunks: ['Spawning ', 'it now. ', '<spawn>{"name": "lamp-watch", "type": "llm", "system_prompt": "watch"}</spawn>'] });
    };
    const session = await startRemoteSession(url, undefined, 'cli-test');
    cleanups.push(() => session.close());
    expect(session.label).toBe(url);
    const pieces: string[] = [];
    const notes: string[] = [];
    const turn = session.send('watch my lamps', { text: (t) => pieces.push(t), note: (n) => notes.push(n) });
    release();
    const answer = await turn;
    expect(answer).toBe('Spawning it now.\n\n✅ lamp-watch (llm) spawned.');
    expect(pieces.join('')).toBe(answer);
    expect(pieces.length).toBeGreaterThan(1);
    // The spawn event's text is in the answer ("✅ lamp-watch (llm) spawned."): no second line.
    expect(notes).toEqual([]);
  });

  it('runs a REPL over piped lines, remembering them in the history file', async () => {
    const { h, url } = await server();
    await h.system.spawn(new EchoAgent({ name: 'calc' }));
    const session = await startRemoteSession(url, undefined);
    cleanups.push(() => session.close());
    const dir = mkdtempSync(join(tmpdir(), 'wactorz-cli-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const historyPath = join(dir, 'state', 'history');
    const input = new PassThrough();
    const output = new Collect();
    input.end('@calc 6 * 7\n\n/agents calc\n/quit\nnever sent\n');
    await runRepl(session, { input, output, historyPath });
    expect(output.text).toContain(`conversation ${session.conversationId}`);
    expect(output.text).toContain('echo: 6 * 7\n');
    expect(output.text).toMatch(/Agents matching "calc" \(1\):\n {2}calc +dynamic · running/);
    expect(output.text).not.toContain('never sent');
    expect(readFileSync(historyPath, 'utf8')).toBe('@calc 6 * 7\n/agents calc\n');
    expect(loadHistory(historyPath)).toEqual(['/agents calc', '@calc 6 * 7']);
  });

  it('says plainly when no server is there', async () => {
    await expect(startRemoteSession('http://127.0.0.1:1', undefined)).rejects.toThrow(/Cannot reach Wactorz at http:\/\/127.0.0.1:1/);
  });
});

describe('CLI pieces', () => {
  it('parses its flags, passing server flags through with --local', () => {
    expect(parseCliArgs(['--url', 'http://ha.local:8099/', '-m', 'hi'], { WACTORZ_API_KEY: 'k' })).toMatchObject({ url: 'http://ha.local:8099', message: 'hi', apiKey: 'k', local: false });
    expect(parseCliArgs(['--local', '--llm', 'ollama', '--', '--data-dir', './d'])).toMatchObject({ local: true, serverArgs: ['--llm', 'ollama', '--data-dir', './d'] });
    expect(parseCliArgs([], { WACTORZ_URL: 'http://x:1' }).url).toBe('http://x:1');
    expect(() => parseCliArgs(['--bogus'])).toThrow(CliUsageError);
    expect(() => parseCliArgs(['--url'])).toThrow('--url needs a value');
  });

  it('writes notes on their own lines between streamed pieces', async () => {
    const output = new Collect();
    const answer = await runTurn(
      {
        label: 'test',
        conversationId: 'x',
        send: async (_text, out) => {
          out.text('Working');
          out.note('· agent spawned');
          out.text('Done.');
          return 'WorkingDone.';
        },
        close: async () => {},
      },
      'go',
      output,
    );
    expect(answer).toBe('WorkingDone.');
    expect(output.text).toBe('Working\n  · agent spawned\nDone.\n');
  });

  it('keeps history bounded and survives an unwritable path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wactorz-hist-'));
    try {
      const path = join(dir, 'h');
      for (let i = 0; i < 1200; i++) appendHistory(path, `line ${i}`);
      const lines = loadHistory(path);
      expect(lines).toHaveLength(500);
      expect(lines[0]).toBe('line 1199');
      // A path whose parent is a file cannot be created: the chat goes on without history.
      expect(() => appendHistory(join(path, 'sub', 'history'), 'x')).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
