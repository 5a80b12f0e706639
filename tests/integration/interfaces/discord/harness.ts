// What the Discord channel tests share: the fake Discord, the real channel (real discord.js)
// pointed at it, a scripted orchestrator that records every turn, and a logger whose lines the
// tests can read (to prove the token never appears).
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { ChatEvent } from '../../../../server/src/contract/chat.ts';
import type { Plan } from '../../../../server/src/contract/plans.ts';
import type { TurnContext } from '../../../../server/src/agents/main/turn-context.ts';
import type { TurnRunner } from '../../../../server/src/interfaces/channels/channel.ts';
import { DiscordChannel, type DiscordChannelOptions } from '../../../../server/src/interfaces/discord/channel.ts';
import type { Logger } from '../../../../server/src/logger.ts';
import { eventually } from '../../../helpers/eventually.ts';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions, type FakeUser } from '../../../helpers/fake-discord/index.ts';

export type Script = (text: string, ctx: TurnContext) => AsyncIterable<ChatEvent>;

/** The orchestrator's entry point, scripted: every turn recorded, answered by `script`. */
export class ScriptedRunner implements TurnRunner {
  readonly turns: { text: string; ctx: TurnContext }[] = [];
  script: Script = (text) => answer(`You said: ${text}`);

  process(text: string, ctx: TurnContext): AsyncIterable<ChatEvent> {
    this.turns.push({ text, ctx });
    return this.script(text, ctx);
  }
}

export interface AnswerOptions {
  /** The reply's deltas (default: the whole reply in one). */
  chunks?: string[];
  awaiting?: 'confirmation' | 'choice' | 'approval';
  proposal?: Plan;
}

/** A turn as the orchestrator streams it: start, deltas, maybe a proposal, done. */
export async function* answer(reply: string, opts: AnswerOptions = {}): AsyncIterable<ChatEvent> {
  yield { type: 'start', turnId: 't1', conversationId: 'c' };
  for (const text of opts.chunks ?? [reply]) yield { type: 'delta', text };
  if (opts.proposal) yield { type: 'proposal', plan: opts.proposal };
  yield { type: 'done', turnId: 't1', conversationId: 'c', reply, agent: 'main', route: 'other', ...(opts.awaiting ? { awaiting: opts.awaiting } : {}) };
}

export function plan(id: string): Plan {
  return {
    id,
    conversation_id: null,
    title: 'Notify when the front door opens',
    summary: 'When binary_sensor.front_door turns on, notify Alice.',
    status: 'pending',
    created_at: new Date().toISOString(),
    agents: [{ name: 'front-door-notify', type: 'ha_actuator', description: 'notifies', trigger: 'state of binary_sensor.front_door' }],
    validation: { ok: true, errors: [], warnings: [] },
    rule_id: null,
    reason: null,
  };
}

/** A pino logger at debug level into memory. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

export interface World {
  fake: FakeDiscord;
  channel: DiscordChannel;
  runner: ScriptedRunner;
  lines: string[];
  alice: FakeUser;
  bob: FakeUser;
  stranger: FakeUser;
  close(): Promise<void>;
}

/** The fake Discord with alice and bob allowed (and #wactorz), a stranger not; the channel started. */
export async function startWorld(opts: { fake?: FakeDiscordOptions; channel?: Partial<DiscordChannelOptions>; token?: string; waitConnected?: boolean } = {}): Promise<World> {
  const fake = await startFakeDiscord(opts.fake);
  const alice = fake.person('alice');
  const bob = fake.person('bob');
  const stranger = fake.person('mallory');
  const runner = new ScriptedRunner();
  const { logger, lines } = capturingLogger();
  const channel = new DiscordChannel({
    token: opts.token ?? fake.token,
    allowedUsers: [alice.id, bob.id],
    allowedChannels: [fake.wactorzChannel.id],
    apiRoot: fake.apiRoot,
    runner,
    logger,
    // Fast enough for tests to see several edits; what the throttle does is tested in the unit tests.
    editIntervalMs: 20,
    ...opts.channel,
  });
  await channel.start();
  if (opts.waitConnected !== false) {
    await eventually(() => channel.health().state === 'connected' && fake.commands.length > 0, () => `connected and commands registered (health: ${JSON.stringify(channel.health())})`);
  }
  return {
    fake, channel, runner, lines, alice, bob, stranger,
    async close() {
      await channel.stop();
      await fake.close();
      // Whatever a test did, the token never reaches the log.
      const token = opts.token ?? fake.token;
      if (lines.some((l) => l.includes(token) || l.includes(fake.token))) throw new Error('the Discord token appeared in the log');
    },
  };
}

export { eventually };
