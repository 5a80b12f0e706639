// /agents: what runs (actors of this process and every agent in the spawn registry, remote ones
// included), and the lifecycle verbs. The verbs go through the same executeCommand as MQTT and
// the HTTP API, so protected actors refuse here exactly as they do there; deleting a spawned
// agent also removes it from the spawn registry so it is not restored at the next start. Grants
// (what an agent's code may do to locks and the like) are the owner's: agent-grants.ts.
import { executeCommand } from '../../../core/commands.ts';
import { changeGrant, grantsNote } from './agent-grants.ts';
import { closeNames } from '../routing/close-names.ts';
import { usage, type CommandContext, type SlashCommand } from './registry.ts';

const VERBS = ['stop', 'pause', 'resume', 'restart', 'delete'] as const;
type Verb = (typeof VERBS)[number];

interface Row {
  name: string;
  type: string;
  state: string;
  node?: string;
  protected: boolean;
}

function rows(ctx: CommandContext): Row[] {
  const out = new Map<string, Row>();
  for (const a of ctx.deps.system.list()) out.set(a.name, { name: a.name, type: a.kind, state: a.state, protected: a.isProtected });
  for (const s of ctx.deps.spawner?.list() ?? []) {
    const existing = out.get(s.name);
    if (existing) existing.type = s.type;
    else out.set(s.name, { name: s.name, type: s.type, state: s.node ? 'remote' : 'not running', protected: false, ...(s.node ? { node: s.node } : {}) });
  }
  return [...out.values()];
}

function listAgents(ctx: CommandContext, filter: string | undefined): string {
  const all = rows(ctx);
  const needle = filter?.toLowerCase();
  const shown = needle ? all.filter((r) => [r.name, r.type, r.state, r.node ?? ''].some((f) => f.toLowerCase().includes(needle))) : all;
  if (shown.length === 0) return needle ? `No agent matches "${filter}" (${all.length} in all).` : 'No agents are running.';
  const width = Math.max(...shown.map((r) => r.name.length));
  const lines = shown.map((r) => `  ${r.name.padEnd(width)}  ${r.type} · ${r.state}${r.node ? ` · on ${r.node}` : ''}${r.protected ? ' · protected' : ''}${grantsNote(ctx, r.name)}`);
  return [`Agents${needle ? ` matching "${filter}"` : ''} (${shown.length}):`, ...lines].join('\n');
}

async function act(ctx: CommandContext, verb: Verb, name: string): Promise<string> {
  const { system } = ctx.deps;
  const spawner = ctx.deps.spawner;
  const registered = spawner?.list().find((a) => a.name === name);
  if (verb === 'delete' && registered && spawner) {
    await spawner.delete(name);
    return `${name} deleted: stopped and removed from the spawn registry.`;
  }
  if (!system.get(name)) {
    if (registered?.node) return `${name} runs on ${registered.node}; manage it from there (or /agents delete ${name}).`;
    const close = closeNames(name, rows(ctx).map((r) => r.name));
    return `There is no agent named ${name}.${close.length ? ` Did you mean ${close.join(', ')}?` : ''}`;
  }
  const reply = await executeCommand(system, name, { command: verb });
  if (reply.status === 'error') return reply.error.message;
  const past: Record<Verb, string> = { stop: 'stopped', pause: 'paused', resume: 'resumed', restart: 'restarted', delete: 'deleted' };
  return `${name} ${past[verb]}.`;
}

export const agentsCommand: SlashCommand = {
  name: 'agents',
  usage: ['/agents [filter]', '/agents stop|pause|resume|restart|delete <name>', '/agents grant|revoke <name> <grant>  (e.g. ha:sensitive:lock.front_door)'],
  summary: 'list agents, stop/pause/resume/restart/delete one, or grant/revoke what its code may do',
  readOnly: (args) => args.length <= 1 && !(VERBS as readonly string[]).includes(args[0]?.toLowerCase() ?? ''),
  async run(ctx) {
    const [first, ...more] = ctx.args;
    const verb = first?.toLowerCase();
    if (verb === 'grant' || verb === 'revoke') {
      if (more.length !== 2) usage(`/agents ${verb} needs an agent name and one grant.`);
      return changeGrant(ctx, verb, more[0], more[1]);
    }
    if (first !== undefined && (VERBS as readonly string[]).includes(first.toLowerCase())) {
      if (more.length !== 1) usage(`/agents ${first.toLowerCase()} needs exactly one agent name.`);
      return act(ctx, first.toLowerCase() as Verb, more[0]);
    }
    if (ctx.args.length > 1) usage('Give one filter word, or a verb and a name.');
    return listAgents(ctx, first);
  },
};
