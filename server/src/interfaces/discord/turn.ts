// One orchestrator turn written to a reply surface: deltas streamed, then the exact final reply
// with buttons when the answer waits for an approval or a confirmation. A turn that cannot run
// (the orchestrator's `error` event, a thrown error) is answered with why, so a person is never
// left with silence.
import type { Plan } from '../../contract/plans.ts';
import type { TurnContext } from '../../agents/main/turn-context.ts';
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../logger.ts';
import type { TurnRunner } from '../channels/channel.ts';
import { buttonsFor } from './buttons.ts';
import { StreamedReply, type ReplySurface } from './stream.ts';

export interface TurnDeps {
  runner: TurnRunner;
  clock: Clock;
  editIntervalMs: number;
  logger: Logger;
}

export interface TurnRequest {
  text: string;
  ctx: TurnContext;
  /** The Discord user id of the asker: a confirmation's Yes / No answer only them. */
  askerId: string;
  surface: ReplySurface;
}

export type TurnOutcome = 'answered' | 'failed';

export async function runTurn(deps: TurnDeps, req: TurnRequest): Promise<TurnOutcome> {
  const stream = new StreamedReply(req.surface, { clock: deps.clock, intervalMs: deps.editIntervalMs, logger: deps.logger });
  let proposal: Plan | undefined;
  try {
    for await (const ev of deps.runner.process(req.text, req.ctx)) {
      switch (ev.type) {
        case 'delta':
          stream.push(ev.text);
          break;
        case 'proposal':
          proposal = ev.plan;
          break;
        case 'done':
          await stream.finish(ev.reply, buttonsFor(ev, proposal, req.askerId));
          return 'answered';
        case 'error':
          await stream.finish(`Wactorz could not answer: ${ev.message}`);
          return 'failed';
        default:
          // Tools, spawns and notifications are already told in the deltas.
          break;
      }
    }
  } catch (err) {
    stream.cancel();
    if (req.ctx.signal?.aborted) return 'failed';
    deps.logger.warn({ err }, 'discord: a turn failed');
    await new StreamedReply(req.surface, { clock: deps.clock, intervalMs: 0, logger: deps.logger })
      .finish(`Wactorz could not answer: ${err instanceof Error ? err.message : String(err)}`)
      .catch(() => undefined);
    return 'failed';
  }
  await stream.finish('The turn ended without an answer.');
  return 'failed';
}
