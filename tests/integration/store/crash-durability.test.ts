// "A write acknowledged to the user survives kill -9": an actor in a child process persists
// continuously and each answered write is acknowledged on stdout; killed mid-stream with SIGKILL,
// every acknowledged write must be in the database afterwards.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../server/src/store/database.ts';
import { SqliteKeyValueStore } from '../../../server/src/store/kv.ts';
import { makeTempDir } from '../../helpers/tmp.ts';

describe('per-actor state', () => {
  it('keeps every acknowledged write when the process is killed with SIGKILL mid-stream', async () => {
    const dir = makeTempDir();
    try {
      const child = spawn(process.execPath, ['--no-node-snapshot', join(import.meta.dirname, 'kv-writer.ts'), dir.path], { stdio: ['ignore', 'pipe', 'inherit'] });
      let lastAck = 0;
      let buffered = '';
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
      await new Promise<void>((resolve) => {
        child.stdout.on('data', (chunk: Buffer) => {
          buffered += chunk.toString();
          const lines = buffered.split('\n');
          buffered = lines.pop() ?? '';
          for (const l of lines) lastAck = Number(l.slice(4));
          if (lastAck >= 300 && !child.killed) {
            child.kill('SIGKILL');
            resolve();
          }
        });
      });
      expect(await exited).toBe('SIGKILL');
      expect(lastAck).toBeGreaterThanOrEqual(300);

      const db = openDatabase({ dataDir: dir.path });
      const kv = new SqliteKeyValueStore(db);
      expect(kv.get('writer', 'counter') as number).toBeGreaterThanOrEqual(lastAck);
      for (let i = 1; i <= lastAck; i++) expect(kv.get('writer', `k${i}`)).toMatchObject({ i });
      db.close();
    } finally {
      dir.cleanup();
    }
  });
});
