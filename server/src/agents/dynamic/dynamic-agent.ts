// DynamicAgent: the actor around one LLM-written agent running in its own isolate. Its hooks run on
// the actor's mailbox, one at a time: setup() while the actor starts (a broken setup goes to the
// LLM for a fix, at most twice, when the spawn asks for it), process() every poll_interval on the
// injected clock (never while paused), handleTask() for each task (an ask gets its return value),
// cleanup() when it stops. Sandbox errors are published on agents/{id}/errors; the supervisor
// decides: warnings and failed hooks leave the agent running, a runaway (CPU limit) or a lost
// isolate fails it so that it is restarted within its budget, and a start that fails is final
// (see spawner/supervision.ts): broken code is not restarted forever.
import { Actor } from '../../core/actor.ts';
import type { TimerHandle } from '../../core/clock.ts';
import { task, type Message, type TaskMessage } from '../../core/messages.ts';
import type { Severity } from '../../bus/payloads.ts';
import { contractFromSpawnConfig } from '../spawn-config/contract-from-config.ts';
import type { DynamicSpawn } from '../spawn-config/config-schema.ts';
import type { SandboxedAgent } from '../../sandbox/agent.ts';
import { SandboxError } from '../../sandbox/errors.ts';
import { resolveLimits, type SandboxLimits } from '../../sandbox/limits.ts';
import { startWithSelfCorrection } from '../../sandbox/self-correct.ts';
import type { AlertSeverity, Json, LogLevel, SandboxErrorEvent, SandboxSeverity, Scope } from '../../sandbox/types.ts';
import { formatIssue } from '../../sandbox/validate.ts';
import type { z } from 'zod';
import { AgentContract } from './agent-contract.ts';
import { TaskFailed, unwrapTask } from './agent-task.ts';
import { HaAccess } from './ha-access.ts';
import { DynamicAgentHost } from './host.ts';
import { llmFixCode } from './llm-access.ts';
import { toJsonValue } from './payload.ts';
import type { AgentServices } from './services.ts';

export type DynamicConfig = z.output<typeof DynamicSpawn>;

export interface DynamicAgentOptions {
  config: DynamicConfig;
  services: AgentServices;
  /** SDK scopes granted (default: all of them). */
  scopes?: readonly Scope[];
  /** User-confirmed grants beyond the sandbox scopes (sensitive HA targets). */
  grants?: readonly string[];
  /** Ask the LLM to fix code whose start fails (fresh spawns; not restores or restarts). */
  selfCorrect?: boolean;
  /** The code that started is not config.code: self-correction fixed it. */
  onCodeFixed?: (code: string) => void;
}

const SEVERITY: Record<SandboxSeverity, Severity> = { warning: 'warning', error: 'degraded', critical: 'critical', fatal: 'fatal' };
const ALERT: Record<AlertSeverity, Severity> = { info: 'warning', warning: 'warning', critical: 'critical' };

/** Internal messages to self (compared by identity: no other actor can forge them). */
const TICK = Object.freeze({ tick: true });
class SandboxFailed {
  readonly event: SandboxErrorEvent;
  constructor(event: SandboxErrorEvent) {
    this.event = event;
  }
}

export class DynamicAgent extends Actor {
  readonly config: DynamicConfig;
  readonly #o: DynamicAgentOptions;
  readonly #limits: SandboxLimits;
  #sandbox: SandboxedAgent | undefined;
  #code: string;
  #timer: TimerHandle | undefined;
  #tickQueued = false;
  #inHook = false;
  #chain: readonly string[] = [];
  #warnings: string[] = [];

  constructor(options: DynamicAgentOptions) {
    const limits = resolveLimits(options.services.limits);
    // process() may hold the mailbox up to its limit; heartbeats wait behind it meanwhile. Not a
    // tracked await (core/README.md, "Slow work"): poll ticks queue ahead of heartbeats, so a hook
    // that keeps running into its limit would never read one, and silence must still catch it.
    super({ name: options.config.name, id: options.config.name, kind: 'dynamic', heartbeatSilenceMs: limits.processMs + 60_000 });
    this.config = options.config;
    this.#o = options;
    this.#limits = limits;
    this.#code = options.config.code;
  }

  /** The code running now (self-correction may have changed it). */
  get code(): string {
    return this.#code;
  }

  /** Code-check findings that did not stop the agent, for the spawn outcome. */
  get warnings(): readonly string[] {
    return this.#warnings;
  }

  protected override async onStart(): Promise<void> {
    const { services } = this.#o;
    const self = { id: this.id, name: this.name };
    const contract = new AgentContract({ self, type: 'dynamic', base: contractFromSpawnConfig(this.config), topicBus: services.topicBus, bus: this.bus, clock: this.clock });
    const host = new DynamicAgentHost({
      self,
      owner: this,
      bus: this.bus,
      clock: this.clock,
      system: services.system,
      llm: services.llm,
      ha: new HaAccess({ ha: services.ha, self, grants: this.#o.grants ?? [], bus: this.bus, clock: this.clock }),
      notifier: services.notifier,
      contract,
      askTimeoutMs: this.#limits.handleTaskMs,
      isRunning: () => this.state === 'running',
      persist: (key, value) => this.persist(key, value),
      recall: (key) => this.recall<Json | undefined>(key, undefined),
      waitingChain: () => this.#chain,
      describe: (name) => services.describe?.(name),
      log: (level, message) => this.#log(level, message),
      alert: (message, severity) => this.#alert(message, severity),
      traces: services.traces,
      reportError: (event) => this.#sandboxError(event),
    });
    const fix = this.#o.selfCorrect && services.llm ? llmFixCode(services.llm, this.name, this.signal, () => services.traces?.ruleOf?.(this.name)) : undefined;
    try {
      const started = await startWithSelfCorrection(
        { id: this.id, name: this.name, code: this.config.code, host, limits: this.#limits, clock: this.clock, ...(this.#o.scopes ? { scopes: this.#o.scopes } : {}), ...(services.fetcher ? { fetcher: services.fetcher } : {}) },
        fix,
      );
      this.#sandbox = started.agent;
      this.#warnings = started.agent.warnings.map(formatIssue);
      if (started.code !== this.config.code) {
        this.#code = started.code;
        this.#o.onCodeFixed?.(started.code);
      }
    } catch (err) {
      const phase = err instanceof SandboxError ? err.phase : 'setup';
      const message = err instanceof Error ? err.message : String(err);
      this.reportError(new Error(`${this.name} could not start and will not be restarted until its code is fixed: ${message}`), 'fatal', phase);
      throw new Error(`${phase}: ${message}`, { cause: err });
    }
    // Stopped (deleted, shut down) while setup ran: onStop already ran without a sandbox to release.
    if (this.state !== 'created') {
      const sandbox = this.#sandbox;
      this.#sandbox = undefined;
      await sandbox.stop();
      return;
    }
    // After setup: a start that fails leaves no contract behind (setup may have declared one).
    contract.start();
    if (this.#sandbox.hasHook('process')) {
      this.#timer = this.clock.setInterval(() => this.#queueTick(), this.config.poll_interval * 1000);
      this.#queueTick();
    }
    this.#log('info', `started (hooks: ${this.#sandbox.hooks.join(', ')}${this.#sandbox.hasHook('process') ? `; process every ${this.config.poll_interval} s` : ''})`);
  }

  protected handle(msg: Message): unknown {
    switch (msg.type) {
      case 'task':
        if (msg.payload === TICK) return this.#process();
        if (msg.payload instanceof SandboxFailed) throw new SandboxError(msg.payload.event);
        return this.#task(msg);
      case 'result':
      case 'error':
      case 'command':
      case 'event':
      case 'heartbeat':
        return undefined;
    }
  }

  protected override async onStop(): Promise<void> {
    this.#timer?.cancel();
    this.#timer = undefined;
    const sandbox = this.#sandbox;
    this.#sandbox = undefined;
    await sandbox?.stop();
  }

  #queueTick(): void {
    // Paused agents do not run process(), and a slow one never piles up ticks.
    if (this.state !== 'running' && this.state !== 'created') return;
    if (this.#tickQueued) return;
    this.#tickQueued = true;
    this.tell(task(TICK));
  }

  async #process(): Promise<void> {
    this.#tickQueued = false;
    const sandbox = this.#sandbox;
    if (!sandbox) return;
    this.#inHook = true;
    try {
      await sandbox.process();
    } catch (err) {
      rethrowIfFatal(err);
    } finally {
      this.#inHook = false;
    }
  }

  async #task(msg: TaskMessage): Promise<void> {
    const sandbox = this.#sandbox;
    const { payload, hops, chain } = unwrapTask(msg.payload);
    if (!sandbox?.hasHook('handleTask')) {
      this.reply(msg, new TaskFailed(`${this.name} does not take tasks (its code has no handleTask hook)`));
      return;
    }
    const json = toJsonValue(payload);
    if (json === undefined) {
      this.reply(msg, new TaskFailed(`${this.name} takes JSON tasks only`));
      return;
    }
    this.#inHook = true;
    this.#chain = chain;
    try {
      const answer = await sandbox.handleTask(json, { hops });
      this.reply(msg, answer);
      this.publish('agentCompleted', { id: this.id }, { ts: this.clock.now(), result_preview: preview(answer) });
    } catch (err) {
      rethrowIfFatal(err);
      this.reply(msg, new TaskFailed(err instanceof Error ? err.message : String(err)));
    } finally {
      this.#inHook = false;
      this.#chain = [];
    }
  }

  /** Every sandbox error is published; a runaway or a dead isolate outside a hook fails the agent. */
  #sandboxError(event: SandboxErrorEvent): void {
    this.reportError(new SandboxError(event), SEVERITY[event.severity], event.phase);
    const serious = event.severity === 'critical' || event.severity === 'fatal';
    if (serious && !this.#inHook && this.state === 'running') this.tell(task(new SandboxFailed(event)));
  }

  #log(level: LogLevel, message: string): void {
    this.log(message, level, 'agent');
  }

  #alert(message: string, severity: AlertSeverity): void {
    this.publish('agentAlert', { id: this.id }, { type: 'agent', message, severity: ALERT[severity], level: severity, ts: this.clock.now() });
  }
}

/** Failed hooks leave the agent running (already reported); runaways and lost isolates fail it. */
function rethrowIfFatal(err: unknown): void {
  if (!(err instanceof SandboxError) || err.severity === 'critical' || err.severity === 'fatal') throw err;
}

function preview(value: Json): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
