// Commands to actors: the same entry point for MQTT (agents/{id}/commands, answered on
// agents/{id}/commands/reply) and for the HTTP API. Lifecycle commands are handled by the system
// (so `resume` works on a paused actor and `stop` on a busy one); protected actors refuse stop,
// pause and delete with a reply saying so. Any other command is delivered to the actor's mailbox.
//
// The broker is shared with every device of the home, so what arrives on it has no owner's
// authority: lifecycle commands over MQTT are refused (the panel, the API and /agents manage
// agents), and by-name tasks from MQTT are marked `via: 'mqtt'`, which system actors refuse and
// main answers on its restricted channel. A by-name task with a reply topic under the root is
// answered there (bus/task-request.ts); one without is told and not answered.
import type { Bus, Unsubscribe } from '../bus/bus.ts';
import { LifecycleCommand, type CommandReply, type CommandRequest } from '../bus/payloads.ts';
import { answerTask, replyTopicOf } from '../bus/task-request.ts';
import { command as commandMessage, task } from './messages.ts';
import { untrustedRefusal, type ActorSystem } from './system.ts';

const REFUSED_WHEN_PROTECTED = new Set<LifecycleCommand>(['stop', 'pause', 'delete']);
const PAST: Record<LifecycleCommand, string> = { stop: 'stopped', pause: 'paused', resume: 'resumed', delete: 'deleted', restart: 'restarted' };

function err(req: CommandRequest, code: string, message: string): CommandReply {
  return { status: 'error', request_id: req.request_id, error: { code, message } };
}

function ok(req: CommandRequest, data?: unknown): CommandReply {
  return { status: 'ok', request_id: req.request_id, data };
}

export async function executeCommand(system: ActorSystem, target: string, req: CommandRequest): Promise<CommandReply> {
  const actor = system.get(target);
  if (!actor) return err(req, 'not_found', `No actor named or with id ${target}.`);
  const lifecycle = LifecycleCommand.safeParse(req.command);
  if (!lifecycle.success) {
    const delivered = actor.tell(commandMessage(req.command, req.args));
    return delivered ? ok(req, { delivered: true }) : err(req, 'not_delivered', `${actor.name} is ${actor.state} or its mailbox is full; the command was not delivered.`);
  }
  const cmd = lifecycle.data;
  if (actor.isProtected && REFUSED_WHEN_PROTECTED.has(cmd)) {
    return err(req, 'protected', `${actor.name} is a protected system actor and cannot be ${PAST[cmd]}. Pause or stop the agents it manages instead.`);
  }
  switch (cmd) {
    case 'stop':
      if (actor.state === 'stopped') return ok(req, { state: actor.state });
      await system.stopActor(actor.id, 'stopped');
      return ok(req, { state: actor.state });
    case 'pause':
      return system.pauseActor(actor.id) ? ok(req, { state: 'paused' }) : err(req, 'invalid_state', `${actor.name} is ${actor.state}; only a running actor can be paused.`);
    case 'resume':
      return system.resumeActor(actor.id) ? ok(req, { state: 'running' }) : err(req, 'invalid_state', `${actor.name} is ${actor.state}; only a paused actor can be resumed.`);
    case 'delete':
      await system.deleteActor(actor.id);
      return ok(req, { deleted: true });
    case 'restart': {
      const sup = system.supervisorOf(actor.id);
      if (!sup) return err(req, 'not_supervised', `${actor.name} has no supervisor to restart it; spawn it again instead.`);
      const restarted = await sup.restartChild(actor.name);
      return restarted ? ok(req, { state: system.get(actor.name)?.state }) : err(req, 'restart_failed', `${actor.name} could not be restarted.`);
    }
  }
}

/** Subscribes the system to its command and by-name task topics. */
export function wireCommands(system: ActorSystem, bus: Bus): Unsubscribe[] {
  const commands = bus.subscribe('agentCommands', {}, (req, { id }) => {
    // Commands for actors of another node (same broker) are not ours to answer.
    if (!system.get(id)) return;
    if (LifecycleCommand.safeParse(req.command).success) {
      bus.publish('agentCommandReply', { id }, err(req, 'forbidden', `${req.command} is not accepted over MQTT: anyone on the broker could send it. Use the Wactorz panel, the API or /agents ${req.command} ${system.get(id)?.name ?? id}.`));
      return;
    }
    executeCommand(system, id, req).then(
      (reply) => bus.publish('agentCommandReply', { id }, reply),
      (e: unknown) => bus.publish('agentCommandReply', { id }, err(req, 'internal', e instanceof Error ? e.message : String(e))),
    );
  });
  const tasks = bus.subscribe('agentTaskByName', {}, (env, { name }) => {
    const actor = system.get(name);
    if (!actor) return;
    const replyTopic = replyTopicOf(bus.root, env);
    if (replyTopic === undefined) {
      if (!untrustedRefusal(actor, 'mqtt')) system.tell(name, task(env.payload, { from: env.from, via: 'mqtt' }));
      return;
    }
    answerTask(bus, replyTopic, env.correlation_id, system.ask(name, env.payload, { from: env.from, via: 'mqtt' }));
  });
  return [commands, tasks];
}
