// The CLI's own flags. Everything after `--` (and, with --local, every flag the server knows) goes
// to the configuration loader, so `wactorz --local -- --llm ollama` works like `npm start`.

export interface CliArgs {
  /** Run the whole system in this process instead of talking to a running server. */
  local: boolean;
  /** `wactorz mcp`: serve MCP on stdio, relayed to the server at `url` (interfaces/mcp/). */
  mcp: boolean;
  /** The server to talk to (default WACTORZ_URL, else http://127.0.0.1:8099). */
  url: string;
  apiKey: string | undefined;
  conversationId: string | undefined;
  /** Send one message, print the answer, exit. */
  message: string | undefined;
  help: boolean;
  /** Flags for the server configuration (--local). */
  serverArgs: string[];
}

export const USAGE = `wactorz: chat with Wactorz from a terminal

  wactorz [--url http://host:8099] [--api-key KEY] [--conversation ID] [-m "message"]
  wactorz --local [-- server flags, e.g. --llm ollama --data-dir ./data]
  wactorz mcp [--url http://host:8099] [--api-key KEY]

  --url           server to talk to (default $WACTORZ_URL or http://127.0.0.1:8099)
  --api-key       the server's WACTORZ_API_KEY (default $WACTORZ_API_KEY)
  --local         run Wactorz in this process (demo home, embedded broker) instead
  --conversation  continue a conversation by id
  -m, --message   send one message and exit
  mcp             serve MCP on stdin/stdout for an MCP client (Claude Desktop...), relayed to
                  the running server's /mcp with the API key
Inside: /help lists the commands, @agent talks to an agent, Ctrl-D quits.`;

export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): CliArgs {
  const out: CliArgs = {
    local: false,
    mcp: false,
    url: env.WACTORZ_URL ?? 'http://127.0.0.1:8099',
    apiKey: env.WACTORZ_API_KEY || undefined,
    conversationId: undefined,
    message: undefined,
    help: false,
    serverArgs: [],
  };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new CliUsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '--':
        out.serverArgs.push(...argv.slice(i + 1));
        return out;
      case '--local':
        out.local = true;
        break;
      case 'mcp':
        // A subcommand, so only in first place; elsewhere it is an ordinary word.
        if (i !== 0) throw new CliUsageError('mcp must come first: wactorz mcp [--url URL] [--api-key KEY]');
        out.mcp = true;
        break;
      case '--url':
        out.url = value(i++, a).replace(/\/+$/, '');
        break;
      case '--api-key':
        out.apiKey = value(i++, a);
        break;
      case '--conversation':
        out.conversationId = value(i++, a);
        break;
      case '-m':
      case '--message':
        out.message = value(i++, a);
        break;
      case '-h':
      case '--help':
        out.help = true;
        break;
      default:
        if (out.local) out.serverArgs.push(a);
        else throw new CliUsageError(`unknown option ${a}`);
    }
  }
  if (out.mcp && (out.local || out.message !== undefined || out.conversationId !== undefined)) throw new CliUsageError('mcp takes only --url and --api-key');
  return out;
}
