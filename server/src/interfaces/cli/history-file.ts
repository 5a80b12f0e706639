// Readline history that outlives the session: the last lines typed, one per line, in a file in
// the user's state directory.
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const HISTORY_SIZE = 500;

export function defaultHistoryPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state');
  return join(base, 'wactorz', 'cli_history');
}

/** Newest first, as readline wants them. */
export function loadHistory(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').filter(Boolean).slice(-HISTORY_SIZE).reverse();
  } catch {
    return [];
  }
}

export function appendHistory(path: string, line: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    appendFileSync(path, `${line.replace(/\n/g, ' ')}\n`, { mode: 0o600 });
    const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    if (lines.length > HISTORY_SIZE * 2) writeFileSync(path, `${lines.slice(-HISTORY_SIZE).join('\n')}\n`, { mode: 0o600 });
  } catch {
    // History is a convenience: a read-only home must not stop the chat.
  }
}
