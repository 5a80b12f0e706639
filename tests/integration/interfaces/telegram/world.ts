// The Telegram channel (the real grammY client) against the local Bot API server, with a scripted
// orchestrator: each test says what a turn streams and sees what the chat shows.
import { pino, type Logger } from 'pino';
import type { ChatEvent } from '../../../../server/src/contract/chat.ts';
import type { Plan } from '../../../../server/src/contract/plans.ts';
import type { TurnContext } from '../../../../server/src/agents/main/turn-context.ts';
import type { TurnRunner } from '../../../../server/src/interfaces/channels/channel.ts';
import { TelegramChannel, type TelegramChannelOptions } from '../../../../server/src/interfaces/telegram/channel.ts';
import { eventually } from '../../../helpers/eventually.ts';
import { person, startFakeTelegram, type FakeTelegram } from '../../../helpers/fake-telegram.ts';

export const ALEX = person(1001, 'Alex', 'alex');
export const SAM = person(1002, 'Sam');
export const STRANGER = person(6666, 'Mallory', 'mallory');

export interface Turn {
  text: string;
  ctx: TurnContext;
}

/** What a scripted turn yields; `pause` lets a test look at the chat mid-stream. */
export type Step = ChatEvent | { type: 'pause'; until: () => boolean; what: string };
export type Script = (text: string, ctx: TurnContext) => Step[];

export class ScriptedRunner implements TurnRunner {
  readonly turns: Turn[] = [];
  script: Script = (text) => reply(`You said: ${text}`);

  async *process(text: string, ctx: TurnContext): AsyncIterable<ChatEvent> {
    this.turns.push({ text, ctx });
    for (const step of this.script(text, ctx)) {
      if (step.type === 'pause') await eventually(step.until, step.what);
      else yield step;
    }
  }
}

/** A turn that streams `text` in the given chunks (or whole) and ends with done. */
export function reply(text: string, opts: { chunks?: string[]; awaiting?: 'confirmation'; proposals?: Plan[] } = {}): Step[] {
  const chunks = opts.chunks ?? [text];
  return [
    { type: 'start', turnId: 't1', conversationId: 'c' },
    ...chunks.map((c): Step => ({ type: 'delta', text: c })),
    ...(opts.proposals ?? []).map((plan): Step => ({ type: 'proposal', plan })),
    { type: 'done', turnId: 't1', conversationId: 'c', reply: text, agent: 'main', route: 'other', ...(opts.awaiting ? { awaiting: opts.awaiting } : {}) },
  ];
}

export function plan(id: string, status: Plan['status'] = 'pending'): Plan {
  return {
    id,
    conversation_id: null,
    title: 'Porch light at sunset',
    summary: 'Turns light.porch on at sunset every day.',
    status,
    created_at: '2026-01-01T12:00:00.000Z',
    agents: [{ name: 'porch-sunset', type: 'ha_actuator', description: 'turns the porch light on', trigger: 'sun.sun below horizon' }],
    validation: { ok: true, errors: [], warnings: [] },
    rule_id: null,
    reason: null,
  };
}

export interface World {
  tg: FakeTelegram;
  runner: ScriptedRunner;
  channel: TelegramChannel;
  /** Every log line, as written. */
  logs: string[];
  stop(): Promise<void>;
}

export function captureLogger(logs: string[]): Logger {
  return pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) });
}

export async function startWorld(opts: Partial<TelegramChannelOptions> = {}): Promise<World> {
  const tg = await startFakeTelegram();
  const runner = new ScriptedRunner();
  const logs: string[] = [];
  const channel = new TelegramChannel({
    token: tg.token,
    allowedUsers: [String(ALEX.id), String(SAM.id)],
    apiRoot: tg.apiRoot,
    runner,
    logger: captureLogger(logs),
    editIntervalMs: 20,
    pollTimeoutSeconds: 2,
    backoff: { initialMs: 20, maxMs: 200 },
    ...opts,
  });
  await channel.start();
  return {
    tg,
    runner,
    channel,
    logs,
    async stop() {
      await channel.stop();
      await tg.close();
    },
  };
}
