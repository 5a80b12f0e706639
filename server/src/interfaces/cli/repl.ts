// The read-eval-print loop: a prompt with persistent history, each answer streamed as it comes,
// notes on their own lines. Works the same with piped input (one message per line).
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { appendHistory, loadHistory } from './history-file.ts';
import type { ChatSession } from './session.ts';

export interface ReplOptions {
  input: Readable;
  output: Writable;
  historyPath?: string;
  terminal?: boolean;
}

/** Sends one message and writes the streamed answer; returns the reply. */
export async function runTurn(session: ChatSession, text: string, output: Writable): Promise<string> {
  let atLineStart = true;
  const write = (s: string) => {
    if (s === '') return;
    output.write(s);
    atLineStart = s.endsWith('\n');
  };
  const reply = await session.send(text, {
    text: write,
    note: (line) => {
      if (!atLineStart) write('\n');
      write(`  ${line}\n`);
    },
  });
  if (!atLineStart) write('\n');
  return reply;
}

export async function runRepl(session: ChatSession, options: ReplOptions): Promise<void> {
  const { output } = options;
  const history = options.historyPath ? loadHistory(options.historyPath) : [];
  const rl = createInterface({ input: options.input, output, terminal: options.terminal ?? false, history, historySize: 500, prompt: 'you › ' });
  // Piped input ends (and closes readline) while answers may still be streaming.
  let closed = false;
  rl.once('close', () => (closed = true));
  const prompt = () => {
    if (!closed) rl.prompt();
  };
  output.write(`Wactorz (${session.label}), conversation ${session.conversationId}. /help for commands, Ctrl-D to quit.\n`);
  prompt();
  // Lines typed while an answer streams are buffered by the iterator and answered in order.
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === '') {
      prompt();
      continue;
    }
    if (line === '/quit' || line === '/exit') break;
    if (options.historyPath) appendHistory(options.historyPath, line);
    try {
      await runTurn(session, line, output);
    } catch (err) {
      output.write(`! ${err instanceof Error ? err.message : String(err)}\n`);
    }
    prompt();
  }
  rl.close();
}
