// The discord.js client the channel runs, and what its failures mean for the owner. A refused
// token or a refused privileged intent will be refused again on every retry, so they stop the
// channel with a message that says what to change; anything else (Discord unreachable, a 5xx)
// is worth retrying. No message here ever contains the token.
import { Client, GatewayIntentBits, Partials } from 'discord.js';

export function createDiscordClient(apiRoot: string | undefined): Client {
  return new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      // Privileged: without it guild messages arrive with empty content. DMs and mentions do not need it.
      GatewayIntentBits.MessageContent,
      GatewayIntentBits.DirectMessages,
    ],
    // A DM channel is not in any cache until its first message: without the partial,
    // discord.js drops DMs silently.
    partials: [Partials.Channel],
    // Only tests set the API root; the gateway URL then comes from that server's GET /gateway/bot.
    ...(apiRoot ? { rest: { api: apiRoot } } : {}),
    allowedMentions: { parse: [], repliedUser: false },
  });
}

export interface Failure {
  /** Retrying cannot help: the channel stops until the options change. */
  fatal: boolean;
  message: string;
}

const TOKEN_REFUSED = "Discord refused the bot token. Copy it again from the Developer Portal (your application → Bot → Reset Token) into the discord_bot_token option and restart the add-on.";
const INTENT_REFUSED = "Discord refused the Message Content intent (close code 4014). Turn it on in the Developer Portal (your application → Bot → Privileged Gateway Intents → Message Content Intent) and restart the add-on.";

/** A close code the gateway will not recover from (discord.js's shardDisconnect). */
export function describeCloseCode(code: number): Failure {
  switch (code) {
    case 4004:
      return { fatal: true, message: `${TOKEN_REFUSED} (close code 4004)` };
    case 4014:
      return { fatal: true, message: INTENT_REFUSED };
    case 4013:
      return { fatal: true, message: 'Discord refused the gateway intents the bot asked for (close code 4013); this is a bug in Wactorz, please report it.' };
    default:
      return { fatal: true, message: `Discord closed the connection for good (close code ${code}).` };
  }
}

/** Why `client.login()` rejected. */
export function describeLoginError(err: unknown): Failure {
  const e = err as { code?: unknown; status?: unknown; message?: unknown } | undefined;
  const message = typeof e?.message === 'string' ? e.message : String(err);
  // TokenInvalid: discord.js's name for a 401 on GET /gateway/bot; "Authentication failed": the gateway's 4004.
  if (e?.code === 'TokenInvalid' || e?.status === 401 || message === 'Authentication failed') return { fatal: true, message: `${TOKEN_REFUSED} (401)` };
  if (message === 'Used disallowed intents') return describeCloseCode(4014);
  if (message === 'Used invalid intents') return describeCloseCode(4013);
  return { fatal: false, message: `Discord could not be reached: ${message}` };
}
