// Every service a rule calls must exist for its domain (light.turn_on, notify.mobile_app_phone):
// HA refuses the rest, and a rule would fail only when it fires. A notification to a chat channel
// (notify.chat_channel) must name one of the configured chat targets or saved webhooks instead.
import { chatTargetOf, CHAT_CHANNEL_SERVICE, isWebhookTarget, parseWebhookTarget } from '../../ha/service-calls.ts';
import type { HomeSnapshot } from '../pipeline/home.ts';
import { issue, type ValidationIssue } from './issues.ts';
import type { AgentFacts } from './rule-graph.ts';
import { closest } from './similar.ts';

export function checkServices(agents: readonly AgentFacts[], home: HomeSnapshot): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const a of agents) {
    for (const act of a.actions) {
      const chat = act.action ? chatTargetOf(act.action) : undefined;
      if (chat !== undefined) {
        const problem = chatTargetProblem(chat, home.chatTargets ?? []);
        if (problem) out.push(issue('unknown_service', problem, a.name));
        continue;
      }
      const name = `${act.domain}.${act.service}`;
      if (seen.has(`${a.name}\u0000${name}`) || home.hasService(act.domain, act.service)) continue;
      seen.add(`${a.name}\u0000${name}`);
      const offered = [...(home.services.get(act.domain) ?? [])].sort();
      const hint = offered.length
        ? ` (${act.domain} offers ${closest(name, offered.map((s) => `${act.domain}.${s}`)).join(', ') || offered.slice(0, 8).join(', ')})`
        : ` (Home Assistant has no ${act.domain} services at all)`;
      out.push(issue('unknown_service', `calls ${name}, which Home Assistant does not have${hint}`, a.name));
    }
    if (a.code?.notifies && !home.services.has('notify') && !home.chatTargets?.length) {
      out.push(issue('unknown_service', 'sends notifications, but Home Assistant has no notify service', a.name));
    }
  }
  return out;
}

/** Why a chat target cannot be notified, or undefined when it is one of the configured ones. */
function chatTargetProblem(target: string, offered: readonly string[]): string | undefined {
  const webhook = parseWebhookTarget(target);
  if (webhook !== undefined) {
    const saved = offered.filter((o) => parseWebhookTarget(o) !== undefined);
    if (saved.some((o) => parseWebhookTarget(o) === webhook)) return undefined;
    const list = saved.length ? `the saved webhooks are ${saved.join(', ')}` : 'no webhook is saved (the user saves one with /webhook <service> <url>)';
    return webhook === '' ? `notifies webhook: without a name; ${list}` : `notifies ${target}, but no webhook named "${webhook}" is saved; ${list}`;
  }
  const chats = offered.filter((o) => !isWebhookTarget(o));
  const hooks = offered.filter((o) => isWebhookTarget(o));
  const list =
    (chats.length ? `the chat targets are ${chats.join(', ')}` : 'no chat channel (Telegram, Discord, WhatsApp) is set up in the add-on options') +
    (hooks.length ? `; the saved webhooks are ${hooks.join(', ')}` : '');
  if (target === '') return `calls notify.${CHAT_CHANNEL_SERVICE} without service_data.target; ${list}`;
  // whatsapp:+31 6 1234 5678 is whatsapp:31612345678 (the channel sends to digits).
  const norm = (t: string) => (t.startsWith('whatsapp:') ? `whatsapp:${t.slice(9).replace(/\D/g, '')}` : t);
  if (chats.some((o) => norm(o) === norm(target))) return undefined;
  return `notifies ${target}, which is not a configured chat target; ${list}`;
}
