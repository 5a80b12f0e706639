// home-assistant-agent (seed §15): questions about and management of the Home Assistant install.
// Lists areas, devices, entities and automations (cached 30 s); creates, edits and deletes
// automations through HA's config API after checking them (entities and services exist); finds
// the automation meant by name, asking back when several fit; recommends hardware and answers
// questions with the LLM. Structured tasks ({action: "list_entities"} ...) serve the planner;
// {action: "request", text} serves the chat, classified by one cheap LLM call.
// Slow work (LLM, REST) is answered outside the mailbox (answerLater), so a listing asked by the
// planner never waits behind an automation being written.
import { Actor } from '../../../core/actor.ts';
import type { Message } from '../../../core/messages.ts';
import type { HaClient } from '../../../ha/client.ts';
import { toHaError } from '../../../ha/errors.ts';
import type { AutomationRef } from '../pending.ts';
import type { HaLlm } from '../one-off/resolve.ts';
import { checkAutomation, sensitiveInAutomation } from './automation-check.ts';
import { answerQuestion, createAutomation, editAutomation, recommendHardware } from './automation-llm.ts';
import { pickAutomation } from './fuzzy.ts';
import { classifyIntent, type HaIntent } from './intent.ts';
import { listAreas, listAutomations, listDevices, listEntities, type Listing } from './listings.ts';

export const HA_AGENT_NAME = 'home-assistant-agent';
/** Intents that change Home Assistant: refused to read-only requests. */
const CHANGES: ReadonlySet<HaIntent> = new Set<HaIntent>(['create_automation', 'edit_automation', 'delete_automation']);
export const LIST_CACHE_MS = 30_000;

export type HaAgentReply =
  | { status: 'ok'; text: string; data?: unknown }
  /** Several automations fit the name: the caller asks the user which one (`candidates`, numbered as in `text`). */
  | { status: 'needs_choice'; text: string; op: 'delete' | 'edit'; candidates: AutomationRef[] }
  | { status: 'error'; text: string; error: { code: string; message: string } };

export type HaAgentTask =
  | { action: 'list_areas' | 'list_devices' | 'list_automations' }
  | { action: 'list_entities'; domain?: string; area?: string }
  | { action: 'create_automation'; config: Record<string, unknown> }
  | { action: 'edit_automation'; automation: string; config: Record<string, unknown> }
  | { action: 'delete_automation'; automation: string }
  /**
   * Natural language; `automation_id` when the user already chose which automation. `read_only`
   * for a turn without the owner's privileges: questions and listings only.
   */
  | { action: 'request'; text: string; automation_id?: string; op?: 'delete' | 'edit'; read_only?: boolean };

export interface HaAgentOptions {
  ha: HaClient;
  llm: HaLlm | undefined;
  name?: string;
  cacheMs?: number;
}

const ok = (text: string, data?: unknown): HaAgentReply => ({ status: 'ok', text, ...(data === undefined ? {} : { data }) });
const fail = (code: string, message: string): HaAgentReply => ({ status: 'error', text: message, error: { code, message } });

export class HomeAssistantAgent extends Actor {
  #opts: HaAgentOptions;
  #cache = new Map<string, { at: number; value: Listing<unknown> }>();
  #off: (() => void) | undefined;
  #lastId = 0;

  constructor(opts: HaAgentOptions) {
    super({ name: opts.name ?? HA_AGENT_NAME, kind: 'ha_assistant', protected: true });
    this.#opts = opts;
  }

  protected override onStart(): void {
    this.#off = this.#opts.ha.onRegistryChange(() => this.#cache.clear());
  }

  protected override onStop(): void {
    this.#off?.();
  }

  protected handle(msg: Message): unknown {
    switch (msg.type) {
      case 'task':
        return this.#task(msg, msg.payload);
      case 'command':
        return msg.command === 'status' ? { cached: [...this.#cache.keys()], ha: this.#opts.ha.connectionState(), llm: this.#opts.llm !== undefined } : undefined;
      case 'error':
      case 'event':
      case 'result':
      case 'heartbeat':
        return undefined;
    }
  }

  #task(msg: Message, payload: unknown): HaAgentReply | undefined {
    const t = (typeof payload === 'string' ? { action: 'request', text: payload } : payload) as Partial<Record<string, unknown>> | null;
    switch (t?.action) {
      case 'list_areas':
        return this.#listing('areas', () => listAreas(this.#opts.ha));
      case 'list_devices':
        return this.#listing('devices', () => listDevices(this.#opts.ha));
      case 'list_automations':
        return this.#listing('automations', () => listAutomations(this.#opts.ha));
      case 'list_entities': {
        const filter = { domain: str(t.domain), area: str(t.area) };
        return this.#listing(`entities:${filter.domain ?? ''}:${filter.area ?? ''}`, () => listEntities(this.#opts.ha, filter));
      }
      case 'create_automation':
        return this.#later(msg, this.#save(undefined, t.config));
      case 'edit_automation':
        return this.#later(msg, this.#editStructured(str(t.automation) ?? '', t.config));
      case 'delete_automation':
        return this.#later(msg, this.#delete(str(t.automation) ?? ''));
      case 'request':
        return this.#later(msg, this.#request(str(t.text) ?? '', str(t.automation_id), t.op === 'delete' ? 'delete' : 'edit', t.read_only === true));
      default:
        return fail('bad_request', `home-assistant-agent: unknown task ${JSON.stringify(payload)?.slice(0, 80)}`);
    }
  }

  /** Answers `msg` when the slow work settles, without holding the mailbox; a failure is an error reply. */
  #later(msg: Message, work: Promise<HaAgentReply>): undefined {
    this.answerLater(msg, () => work.catch((err: unknown) => fail(toHaError(err).code, err instanceof Error ? err.message : String(err))));
    return undefined;
  }

  #listing(key: string, build: () => Listing<unknown>): HaAgentReply {
    const now = this.clock.now();
    const hit = this.#cache.get(key);
    if (hit && now - hit.at < (this.#opts.cacheMs ?? LIST_CACHE_MS)) return ok(hit.value.text, hit.value.data);
    const value = build();
    this.#cache.set(key, { at: now, value });
    return ok(value.text, value.data);
  }

  async #request(text: string, automationId: string | undefined, op: 'delete' | 'edit', readOnly = false): Promise<HaAgentReply> {
    if (!text.trim()) return fail('bad_request', 'The request is empty.');
    const { llm, ha } = this.#opts;
    const intent: HaIntent | undefined = automationId ? (op === 'delete' ? 'delete_automation' : 'edit_automation') : await classifyIntent(llm, text, this.signal);
    if (readOnly && intent !== undefined && CHANGES.has(intent)) {
      return fail('forbidden', `⛔ Creating, changing or deleting Home Assistant automations is only for the owner, from the Wactorz panel, Home Assistant Assist or the CLI; this request did not come from the owner, so nothing was changed.`);
    }
    switch (intent) {
      case 'list_areas':
        return this.#listing('areas', () => listAreas(ha));
      case 'list_devices':
        return this.#listing('devices', () => listDevices(ha));
      case 'list_automations':
        return this.#listing('automations', () => listAutomations(ha));
      case 'list_entities':
        return this.#listing('entities::', () => listEntities(ha));
      case undefined:
        return fail(llm ? 'not_understood' : 'no_llm', llm ? 'I did not understand what to do in Home Assistant.' : 'No LLM is configured, so I can only list areas, devices, entities and automations.');
      case 'delete_automation':
        return this.#delete(automationId ?? text, automationId === undefined);
      case 'edit_automation':
      case 'create_automation':
      case 'recommend_hardware':
      case 'question':
        break;
    }
    if (!llm) return fail('no_llm', 'No LLM is configured, so I cannot write automations or answer questions.');
    switch (intent) {
      case 'create_automation': {
        const generated = await createAutomation(llm, ha, text, this.signal);
        if (!generated.ok) return fail('invalid_automation', `I could not write a valid automation: ${generated.error}.`);
        return this.#save(undefined, generated.config);
      }
      case 'edit_automation': {
        const target = automationId ? this.#byId(automationId) : this.#find(text, 'edit');
        if ('status' in target) return target;
        const current = await ha.getAutomationConfig(target.id, this.signal);
        if (!current) return fail('not_found', `Home Assistant has no configuration for "${target.alias}" (it may be defined in YAML).`);
        const generated = await editAutomation(llm, ha, current, text, this.signal);
        if (!generated.ok) return fail('invalid_automation', `I could not change "${target.alias}" validly: ${generated.error}.`);
        return this.#save(target.id, generated.config);
      }
      case 'recommend_hardware': {
        const advice = await recommendHardware(llm, ha, text, this.signal);
        const uses = advice.hardware.map((h) => `${h.entity_id} (${h.role})`).join(', ');
        const parts = [advice.summary, uses ? `It would use: ${uses}.` : '', advice.missing.length ? `To add: ${advice.missing.join('; ')}.` : ''].filter(Boolean);
        return ok(parts.join('\n'), advice);
      }
      case 'question':
        return ok((await answerQuestion(llm, ha, text, this.signal)).trim());
    }
  }

  async #editStructured(automation: string, config: unknown): Promise<HaAgentReply> {
    const target = this.#byId(automation);
    const found = 'status' in target ? this.#find(automation, 'edit') : target;
    if ('status' in found) return found;
    return this.#save(found.id, config);
  }

  /** Checks, then saves (a new id when `id` is undefined). */
  async #save(id: string | undefined, config: unknown): Promise<HaAgentReply> {
    const problems = checkAutomation(this.#opts.ha, config);
    if (problems.length > 0) return fail('invalid_automation', `The automation was not saved: ${problems.join('; ')}.`);
    // An automation acts later, unattended: a sensitive one never goes in on an LLM's (or an agent's) word.
    const sensitive = sensitiveInAutomation(this.#opts.ha, config as Record<string, unknown>);
    if (sensitive.length > 0) {
      return fail(
        'sensitive',
        `The automation was not saved: it would act on ${sensitive.join(', ')}, which needs your explicit confirmation. ` +
          'Propose it as a rule (pipeline: ...) and approve it, or create it in Home Assistant yourself.',
      );
    }
    const body = { ...(config as Record<string, unknown>) };
    delete body.id;
    const newId = id ?? this.#newId();
    await this.#opts.ha.saveAutomationConfig(newId, body, this.signal);
    this.#cache.clear();
    const alias = String(body.alias);
    return ok(id ? `Updated the automation "${alias}".` : `Created the automation "${alias}".`, { id: newId, config: body });
  }

  async #delete(nameOrId: string, fuzzy = true): Promise<HaAgentReply> {
    const target = fuzzy ? this.#find(nameOrId, 'delete') : this.#byId(nameOrId);
    if ('status' in target) return target;
    await this.#opts.ha.deleteAutomationConfig(target.id, this.signal);
    this.#cache.clear();
    return ok(`Deleted the automation "${target.alias}".`, { id: target.id });
  }

  #byId(id: string): AutomationRef | HaAgentReply {
    const found = listAutomations(this.#opts.ha).data.find((a) => a.id === id || a.entity_id === id);
    return found ?? fail('not_found', `There is no automation with id ${id}.`);
  }

  /** The automation the text names; a question back when several fit. Always read fresh, never cached. */
  #find(text: string, op: 'delete' | 'edit'): AutomationRef | HaAgentReply {
    const all = listAutomations(this.#opts.ha).data.filter((a) => a.id !== '');
    const pick = pickAutomation(text, all);
    switch (pick.kind) {
      case 'unique':
        return pick.item;
      case 'none':
        return fail('not_found', `No automation matches "${text}".${all.length ? ` There are: ${all.map((a) => a.alias).join(', ')}.` : ' There are no automations.'}`);
      case 'ambiguous':
        return {
          status: 'needs_choice',
          op,
          candidates: pick.candidates,
          text: `Several automations fit. Which one should I ${op}?\n${pick.candidates.map((c, i) => `${i + 1}. ${c.alias}`).join('\n')}\nReply with the number or the name (or "no" to cancel).`,
        };
    }
  }

  #newId(): string {
    const existing = new Set(listAutomations(this.#opts.ha).data.map((a) => a.id));
    // HA's UI uses the creation time in milliseconds as the id. Two saves within a millisecond,
    // or before HA's new automation entity reached the cache, must still get different ids.
    let n = Math.max(this.clock.now(), this.#lastId + 1);
    while (existing.has(String(n))) n++;
    this.#lastId = n;
    return String(n);
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}
