#!/usr/bin/env -S node --no-node-snapshot
// `npm run cli` / the `wactorz` bin: a streaming chat REPL against a running server (its HTTP
// API and WebSocket) or, with --local, against a whole system started in this process;
// `wactorz mcp` serves MCP on stdio, relayed to a running server's /mcp.
import { CliUsageError, parseCliArgs, USAGE } from './args.ts';
import { defaultHistoryPath } from './history-file.ts';
import { runMcpBridge } from '../mcp/stdio-bridge.ts';
import { startLocalSession } from './local-session.ts';
import { startRemoteSession } from './remote-session.ts';
import { runRepl, runTurn } from './repl.ts';
import type { ChatSession } from './session.ts';

async function main(): Promise<number> {
  let args;
  try {
    args = parseCliArgs(process.argv.slice(2), process.env);
  } catch (err) {
    if (err instanceof CliUsageError) {
      console.error(`${err.message}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.mcp) {
    try {
      await runMcpBridge({ url: args.url, apiKey: args.apiKey });
      return 0;
    } catch (err) {
      // stderr: stdout belongs to the protocol.
      console.error(err instanceof Error ? err.message : String(err));
      return 1;
    }
  }
  let session: ChatSession;
  try {
    session = args.local ? await startLocalSession(args.serverArgs, args.conversationId) : await startRemoteSession(args.url, args.apiKey, args.conversationId);
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    return 1;
  }
  try {
    if (args.message !== undefined) await runTurn(session, args.message, process.stdout);
    else await runRepl(session, { input: process.stdin, output: process.stdout, historyPath: defaultHistoryPath(), terminal: process.stdin.isTTY });
    return 0;
  } finally {
    await session.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
