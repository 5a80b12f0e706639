// What travels on nodes/{name}/spawn|stop|migrate|list (server -> node, signed with the node's
// secret) and nodes/{name}/result (node -> server, signed the same way). The node also signs its
// heartbeat (heartbeats.ts believes nothing else) and migrate_result, each as its own kind; the
// server acts on the signed `result` of a migrate (it carries the state), migrate_result is only a
// notice for watchers. The bodies' schemas sit with the topic map (bus/payloads.ts); here each is
// named by the kind it is signed as, and a message is believed only once it is verified AND its
// body parses. No bus: the edge runner imports this file too.
import { z } from 'zod';
import {
  NodeHeartbeatBody, NodeListCommand, NodeMigrateCommand, NodeMigrateResultBody, NodeResultBody, NodeSpawnCommand, NodeStopCommand,
} from '../../bus/payloads.ts';
import { verifyMessage, type NodeCommand, type Verification, type VerifyOptions } from './protocol.ts';

export type { EdgeAgentInfo, NodeHeartbeatBody, NodeListCommand, NodeMigrateCommand, NodeSpawnCommand, NodeStopCommand } from '../../bus/payloads.ts';
export type NodeResult = NodeResultBody;

export const NODE_BODIES = {
  spawn: NodeSpawnCommand,
  stop: NodeStopCommand,
  migrate: NodeMigrateCommand,
  list: NodeListCommand,
  result: NodeResultBody,
  heartbeat: NodeHeartbeatBody,
  migrate_result: NodeMigrateResultBody,
} as const satisfies Record<NodeCommand, z.ZodType>;

export type NodeBody<C extends NodeCommand> = z.output<(typeof NODE_BODIES)[C]>;
// The same table as a mapped type, so indexing it with a generic kind keeps the kind's body type.
const BODIES: { readonly [C in NodeCommand]: z.ZodType<NodeBody<C>> } = NODE_BODIES;

/** verifyMessage, then the body parsed by its kind's schema: a signed message of the wrong shape is refused too. */
export function verifyNodeMessage<C extends NodeCommand>(message: unknown, o: VerifyOptions & { command: C }): Verification<NodeBody<C>> {
  const verdict = verifyMessage(message, o);
  if (!verdict.ok) return verdict;
  const parsed = BODIES[o.command].safeParse(verdict.body);
  if (!parsed.success) return { ok: false, reason: `malformed ${o.command} (${z.prettifyError(parsed.error).replaceAll('\n', ' ')})` };
  return { ok: true, body: parsed.data };
}
