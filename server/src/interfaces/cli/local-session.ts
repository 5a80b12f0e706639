// `wactorz --local`: the whole system in this process (database, embedded broker, demo home or
// the configured HA, LLM), chatting through orchestrator.process directly.
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../config/load.ts';
import { createLogger } from '../../logger.ts';
import { startRuntime } from '../../runtime.ts';
import { lockDataDir } from '../../store/data-dir-lock.ts';
import type { ChatSession } from './session.ts';
import { TurnNotes } from './turn-notes.ts';

export async function startLocalSession(serverArgs: readonly string[], conversationId?: string): Promise<ChatSession> {
  // Quiet by default (the log would interleave with the conversation), and on free ports so it
  // never collides with a server already running; explicit flags still win (the last one counts).
  const loaded = loadConfig({ argv: ['--log-level', 'warn', '--mqtt-embedded-port', '0', ...serverArgs] });
  const explicitPort = serverArgs.some((a) => a === '--port' || a.startsWith('--port=')) || process.env.WACTORZ_PORT !== undefined;
  const config = explicitPort ? loaded : { ...loaded, port: 0 };
  // A running `npm start` on the same data directory refuses this one (DataDirLockedError, whose
  // message says what to do): both would restore and run the saved agents.
  const lock = lockDataDir(config.dataDir, 'npm run cli -- --local');
  let runtime;
  try {
    runtime = await startRuntime({ config, logger: createLogger(config.logLevel) });
  } catch (err) {
    lock.release();
    throw err;
  }
  const id = conversationId ?? `cli-${randomBytes(6).toString('base64url')}`;
  return {
    label: `in-process (HA: ${config.ha.mode}, LLM: ${config.llm.provider}, API at ${runtime.address})`,
    conversationId: id,
    async send(text, out) {
      let reply = '';
      const notes = new TurnNotes();
      for await (const e of runtime.orchestrator.process(text, { user: { id: 'local', name: 'you' }, channel: 'cli', conversationId: id })) {
        if (e.type === 'delta') out.text(e.text);
        else if (e.type === 'done') reply = e.reply;
        else notes.add(e);
      }
      for (const line of notes.after(reply)) out.note(line);
      return reply;
    },
    close: async () => {
      await runtime.stop();
      lock.release();
    },
  };
}
