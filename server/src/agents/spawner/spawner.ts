// The AgentSpawner: every spawn (LLM block or tool call, planner, catalog, API, restore) comes
// through here. It validates the config with the spawn schema, refuses relaxed grants from anyone
// but the user, reuses a running agent of the same name unless `replace` is set, hot-swaps when it
// is (old stopped, new started, the old one restarted if the new one fails: the registry only ever
// holds a config that ran), hands remote nodes to their hook, starts local agents through the
// factory of their type and saves them in the spawn registry. Work on one name is serialised, so
// two spawns of the same agent cannot interleave.
import type { Bus, Unsubscribe } from '../../bus/bus.ts';
import { topicFor } from '../../bus/topics.ts';
import { contractFromSpawnConfig } from '../spawn-config/contract-from-config.ts';
import type { TopicBus } from '../../bus/topic-bus/topic-bus.ts';
import { isTerminal } from '../../core/lifecycle.ts';
import type { ActorSystem, LogSink } from '../../core/system.ts';
import { installPackages } from '../../sandbox/install.ts';
import { SCOPES } from '../../sandbox/types.ts';
import type { SpawnRecord, SpawnRegistry } from '../../store/spawn-registry.ts';
import type { SpawnConfig, SpawnType } from '../spawn-config/config-schema.ts';
import { validateSpawnConfig } from '../spawn-config/validate.ts';
import { isGrant } from '../../ha/sensitive-calls.ts';
import { SpawnError, type AgentSpawner, type AgentTypeFactory, type GrantsOutcome, type SpawnedAgentInfo, type SpawnOrigin, type SpawnOutcome } from './agent-spawner.ts';
import { SpawnMetaStore, type SpawnMeta } from './meta-store.ts';
import { remoteUnavailable, type RemoteNodes } from './remote.ts';

export interface SpawnerOptions {
  system: ActorSystem;
  registry: SpawnRegistry;
  topicBus?: TopicBus | undefined;
  remote?: RemoteNodes | undefined;
  logger?: LogSink | undefined;
  /** Called after an agent was deleted (factories drop what they keep per agent). */
  onDeleted?: (name: string) => void;
}

export class Spawner implements AgentSpawner {
  readonly meta: SpawnMetaStore;
  readonly #o: SpawnerOptions;
  readonly #types = new Map<SpawnType, AgentTypeFactory>();
  readonly #queues = new Map<string, Promise<unknown>>();
  #unsub: Unsubscribe | undefined;
  #restored = false;

  constructor(options: SpawnerOptions) {
    this.#o = options;
    this.meta = new SpawnMetaStore(options.system.store);
  }

  /** Listens for deletions made around the spawner (the `delete` command): they are for good too. */
  start(): void {
    this.#unsub ??= this.#o.system.onEvent((e) => {
      if (e.type === 'deleted' && this.#o.registry.get(e.name) && !this.#queues.has(e.name)) void this.delete(e.name);
    });
  }

  stop(): void {
    this.#unsub?.();
    this.#unsub = undefined;
  }

  /** A type registered after restoreAll() gets its saved agents restored at once. */
  registerType(factory: AgentTypeFactory): void {
    if (this.#types.has(factory.type)) throw new Error(`a factory for ${factory.type} agents is already registered`);
    this.#types.set(factory.type, factory);
    if (this.#restored) void this.#restoreWhere((r) => r.type === factory.type);
  }

  spawn(input: SpawnConfig, origin: SpawnOrigin): Promise<SpawnOutcome> {
    const validation = validateSpawnConfig(input);
    if (!validation.ok) return Promise.reject(new SpawnError(validation.error, validation.issues[0]?.path || undefined));
    const config = validation.config;
    return this.#serial(config.name, () => this.#spawn(config, origin, validation.warnings));
  }

  delete(name: string): Promise<boolean> {
    return this.#serial(name, () => this.#delete(name));
  }

  grantsOf(name: string): string[] | undefined {
    if (!this.#o.registry.get(name)) return undefined;
    return [...(this.meta.get(name)?.grants ?? [])];
  }

  setGrants(name: string, grants: readonly string[], origin: Extract<SpawnOrigin, { by: 'user' }>): Promise<GrantsOutcome> {
    return this.#serial(name, () => this.#setGrants(name, grants, origin));
  }

  list(): SpawnedAgentInfo[] {
    return this.#o.registry.list().map((r) => {
      const config = r.config as Partial<SpawnConfig>;
      const origin = this.meta.get(r.name)?.origin;
      const ruleId = origin?.by === 'planner' ? origin.ruleId : undefined;
      return {
        id: this.#o.system.get(r.name)?.id ?? r.name,
        name: r.name,
        type: r.type as SpawnType,
        ...(r.node ? { node: r.node } : {}),
        ...(config.description ? { description: config.description } : {}),
        ...(ruleId ? { ruleId } : {}),
        createdAt: new Date(r.createdAt).toISOString(),
      };
    });
  }

  /** The description a spawned agent was given, for agent.agents(). */
  describe(name: string): string | undefined {
    const config = this.#o.registry.get(name)?.config as Partial<SpawnConfig> | undefined;
    return config?.description || undefined;
  }

  restoreAll(): Promise<{ restored: string[]; failed: { name: string; error: string }[] }> {
    this.#restored = true;
    return this.#restoreWhere(() => true);
  }

  async #restoreWhere(which: (r: SpawnRecord) => boolean): Promise<{ restored: string[]; failed: { name: string; error: string }[] }> {
    const restored: string[] = [];
    const failed: { name: string; error: string }[] = [];
    for (const record of this.#o.registry.list().filter(which)) {
      const validation = validateSpawnConfig(record.config);
      if (!validation.ok) {
        failed.push({ name: record.name, error: validation.error });
        continue;
      }
      try {
        await this.#serial(record.name, () => this.#restore(validation.config));
        restored.push(record.name);
      } catch (err) {
        failed.push({ name: record.name, error: err instanceof Error ? err.message : String(err) });
      }
    }
    for (const f of failed) this.#o.logger?.warn({ agent: f.name, error: f.error }, 'spawned agent not restored');
    return { restored, failed };
  }

  async #restore(config: SpawnConfig): Promise<void> {
    const running = this.#o.system.get(config.name);
    if (running && !isTerminal(running.status)) return;
    if (config.node !== undefined) {
      await this.#startRemote(config);
      return;
    }
    const started = await this.#factory(config.type).start(config, { by: 'restore' });
    this.#afterStart(config, started.config);
  }

  async #spawn(config: SpawnConfig, origin: SpawnOrigin, notes: string[]): Promise<SpawnOutcome> {
    const meta = metaFor(origin);
    const warnings = [...notes];
    const dropped = (this.meta.get(config.name)?.grants ?? []).filter((g) => !meta.grants.includes(g));
    if (config.type === 'dynamic') {
      const install = installPackages(config.install);
      if (install) warnings.push(install.message);
    }
    const base = { name: config.name, type: config.type, ...(config.node !== undefined ? { node: config.node } : {}) };
    const existing = this.#o.system.get(config.name);
    const managed = this.#o.registry.get(config.name) !== undefined;
    if (existing && !isTerminal(existing.status)) {
      if (!managed) throw new SpawnError(`the name "${config.name}" belongs to a built-in agent; choose another name`, 'name');
      if (!config.replace) return { status: 'reused', id: existing.id, ...base, warnings: [...warnings, `an agent named ${config.name} is already running; it was reused (set "replace": true to swap in the new version)`] };
    }
    // New code does not inherit what the owner granted the old one: the owner grants again.
    if (dropped.length) warnings.push(`${config.name} no longer has ${dropped.join(', ')}: new code needs the owner's grant again (/agents grant ${config.name} <grant>)`);
    if (config.node !== undefined) {
      const r = existing && !isTerminal(existing.status) ? await this.#moveToRemote(config) : await this.#startRemote(config);
      this.meta.set(config.name, meta);
      return { status: managed ? 'replaced' : 'spawned', id: r.id, ...base, warnings: [...warnings, ...(r.warnings ?? [])] };
    }
    const factory = this.#factory(config.type);
    const problems = (await factory.validate?.(config)) ?? [];
    if (problems.length > 0) throw new SpawnError(`spawn "${config.name}" rejected: ${problems.join('; ')}`);
    if (existing && !isTerminal(existing.status)) return this.#hotSwap(config, origin, meta, factory, warnings);

    const previousMeta = this.meta.get(config.name);
    this.meta.set(config.name, meta);
    try {
      const started = await factory.start(config, origin);
      this.#afterStart(config, started.config);
      return { status: managed ? 'replaced' : 'spawned', id: started.id, ...base, warnings: [...warnings, ...(started.warnings ?? [])] };
    } catch (err) {
      if (previousMeta) this.meta.set(config.name, previousMeta);
      else this.meta.delete(config.name);
      // A brand-new agent leaves nothing behind; one in the registry keeps its state and record.
      if (!managed) await this.#discard(config.name);
      throw new SpawnError(`spawn "${config.name}" failed: ${messageOf(err)}`);
    }
  }

  async #setGrants(name: string, input: readonly string[], origin: Extract<SpawnOrigin, { by: 'user' }>): Promise<GrantsOutcome> {
    if ((origin as SpawnOrigin).by !== 'user') throw new SpawnError('only the user can grant an agent sensitive access', 'grants');
    const grants = [...new Set(metaFor({ by: 'user', grants: input }).grants)];
    const record = this.#o.registry.get(name);
    if (!record) throw new SpawnError(`there is no spawned agent named ${name}`, 'name');
    if (record.node !== undefined) throw new SpawnError(`${name} runs on ${record.node}; grants apply to agents running on this machine`, 'node');
    // Only agent code calls Home Assistant itself; declared actions are confirmed with their plan.
    if (record.type !== 'dynamic') throw new SpawnError(`${name} is a ${record.type} agent; grants apply to code agents (dynamic) only`, 'type');
    const previous = this.meta.get(name);
    const meta: SpawnMeta = { ...(previous ?? { origin: plainOrigin(origin) }), grants };
    const actor = this.#o.system.get(name);
    if (!actor || isTerminal(actor.status)) {
      // Not running: the factory reads the grants when it next starts.
      this.meta.set(name, meta);
      return { name, grants, restarted: false };
    }
    const validation = validateSpawnConfig(record.config);
    if (!validation.ok) throw new SpawnError(`${name} cannot be restarted with new grants: ${validation.error}`);
    // The same hot swap as a replace, with the same code: the sandbox is built anew with the grants.
    await this.#hotSwap(validation.config, { by: 'restore' }, meta, this.#factory(record.type), []);
    return { name, grants, restarted: true };
  }

  async #hotSwap(config: SpawnConfig, origin: SpawnOrigin, meta: SpawnMeta, factory: AgentTypeFactory, warnings: string[]): Promise<SpawnOutcome> {
    const record = this.#o.registry.get(config.name);
    const previousMeta = this.meta.get(config.name);
    const oldValidation = validateSpawnConfig(record?.config);
    await this.#stopLocal(config.name);
    this.meta.set(config.name, meta);
    try {
      const started = await factory.start(config, origin);
      this.#afterStart(config, started.config);
      return { status: 'replaced', id: started.id, name: config.name, type: config.type, warnings: [...warnings, ...(started.warnings ?? [])] };
    } catch (err) {
      if (previousMeta) this.meta.set(config.name, previousMeta);
      const reason = messageOf(err);
      if (!oldValidation.ok) throw new SpawnError(`replacing "${config.name}" failed: ${reason}; the previous version could not be read back, so nothing runs under that name now`);
      try {
        await this.#factory(oldValidation.config.type).start(oldValidation.config, { by: 'restore' });
      } catch (again) {
        throw new SpawnError(`replacing "${config.name}" failed: ${reason}; restarting the previous version failed too: ${messageOf(again)}`);
      }
      throw new SpawnError(`replacing "${config.name}" failed: ${reason}; the previous version is running again`);
    }
  }

  async #delete(name: string): Promise<boolean> {
    const record = this.#o.registry.get(name);
    const actor = this.#o.system.get(name);
    if (!record) return false;
    if (record.node !== undefined && this.#o.remote?.has(record.node)) await this.#o.remote.remove(record.node, name);
    if (actor) await this.#o.system.deleteActor(name);
    this.#o.registry.remove(name);
    this.meta.delete(name);
    this.#forgetContract(name, actor?.id ?? name);
    this.#o.onDeleted?.(name);
    return true;
  }

  #forgetContract(name: string, id: string): void {
    this.#o.topicBus?.registry.unregister(name);
    // The retained manifest would otherwise describe a dead agent to every planner after us.
    const bus = this.#bus();
    bus?.publishRaw(topicFor(bus.root, 'agentManifest', { id }), '', { qos: 1, retain: true });
  }

  async #startRemote(config: SpawnConfig): Promise<{ id: string; warnings?: string[] }> {
    const node = config.node as string;
    const remote = this.#o.remote;
    if (!remote || !remote.has(node)) throw new SpawnError(remoteUnavailable(node, remote !== undefined), 'node');
    const r = await remote.spawn(node, config);
    this.#o.registry.save({ name: config.name, type: config.type, config, node });
    return r;
  }

  /** A replace that moves a local agent to a node: the local copy stops, and comes back if the node fails. */
  async #moveToRemote(config: SpawnConfig): Promise<{ id: string; warnings?: string[] }> {
    const node = config.node as string;
    if (!this.#o.remote?.has(node)) throw new SpawnError(remoteUnavailable(node, this.#o.remote !== undefined), 'node');
    const old = validateSpawnConfig(this.#o.registry.get(config.name)?.config);
    await this.#stopLocal(config.name);
    try {
      return await this.#startRemote(config);
    } catch (err) {
      const reason = messageOf(err);
      if (!old.ok) throw new SpawnError(`moving "${config.name}" to ${node} failed: ${reason}; the previous version could not be read back, so nothing runs under that name now`);
      try {
        await this.#factory(old.config.type).start(old.config, { by: 'restore' });
      } catch (again) {
        throw new SpawnError(`moving "${config.name}" to ${node} failed: ${reason}; restarting the local version failed too: ${messageOf(again)}`);
      }
      throw new SpawnError(`moving "${config.name}" to ${node} failed: ${reason}; the local version is running again`);
    }
  }

  async #stopLocal(name: string): Promise<void> {
    const actor = this.#o.system.get(name);
    if (actor && !isTerminal(actor.status)) await this.#o.system.stopActor(name, 'stopped');
  }

  /** Removes every trace of a spawn that never started: actor entry, state, contract, manifest. */
  async #discard(name: string): Promise<void> {
    const actor = this.#o.system.get(name);
    if (actor && isTerminal(actor.status)) await this.#o.system.deleteActor(name);
    this.#forgetContract(name, actor?.id ?? name);
    this.#o.onDeleted?.(name);
  }

  #afterStart(config: SpawnConfig, started: SpawnConfig | undefined): void {
    const saved = started ?? config;
    this.#o.registry.save({ name: saved.name, type: saved.type, config: { ...saved, replace: false } });
    // Dynamic agents register their own contract (declareContract adds to it); others get theirs here.
    if (saved.type !== 'dynamic') this.#o.topicBus?.registry.register(contractFromSpawnConfig(saved));
  }

  #factory(type: SpawnType): AgentTypeFactory {
    const f = this.#types.get(type);
    if (!f) throw new SpawnError(`${type} agents cannot be spawned in this setup yet (no factory registered for "${type}")`, 'type');
    return f;
  }

  #bus(): Bus | undefined {
    return this.#o.system.bus;
  }

  #serial<T>(name: string, work: () => Promise<T>): Promise<T> {
    const prev = this.#queues.get(name) ?? Promise.resolve();
    const next = prev.then(work, work);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.#queues.set(name, settled);
    void settled.then(() => {
      if (this.#queues.get(name) === settled) this.#queues.delete(name);
    });
    return next;
  }
}

/** What is remembered about who spawned an agent; grants only from the user, checked here. */
function metaFor(origin: SpawnOrigin): SpawnMeta {
  const o = origin as SpawnOrigin & { grants?: unknown; scopes?: unknown };
  if (o.grants !== undefined && origin.by !== 'user') throw new SpawnError('only the user can grant an agent sensitive access; the spawn was refused', 'grants');
  const grants = origin.by === 'user' ? [...(origin.grants ?? [])] : [];
  const bad = grants.filter((g) => !isGrant(g));
  if (bad.length) throw new SpawnError(`unknown grant ${bad.map((g) => `"${g}"`).join(', ')}; grants look like ha:sensitive or ha:sensitive:lock.front_door`, 'grants');
  const scopes = origin.by === 'catalog' && origin.scopes ? [...origin.scopes] : undefined;
  const unknownScopes = scopes?.filter((s) => !(SCOPES as readonly string[]).includes(s)) ?? [];
  if (unknownScopes.length) throw new SpawnError(`unknown scope ${unknownScopes.join(', ')}; scopes are ${SCOPES.join(', ')}`, 'scopes');
  return { origin: plainOrigin(origin), grants, ...(scopes ? { scopes } : {}) };
}

function plainOrigin(origin: SpawnOrigin): SpawnOrigin {
  return JSON.parse(JSON.stringify(origin)) as SpawnOrigin;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
