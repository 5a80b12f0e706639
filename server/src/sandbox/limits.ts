// Every limit a sandboxed agent lives under, with the defaults from the issue. Wall-clock limits
// run on the injected clock; the per-entry CPU limit is isolated-vm's own timer, which terminates
// a synchronous run (a `while(true){}`) on the isolate's thread without involving the event loop.

export interface SandboxLimits {
  /** Isolate heap limit (isolated-vm's minimum is 8). */
  memoryMb: number;
  /** Longest one synchronous run inside the isolate may take: a hook's first slice, a resumed continuation, a callback. */
  cpuPerEntryMs: number;
  /** Wall-clock limits per hook, from the call to the settled promise. */
  loadMs: number;
  setupMs: number;
  processMs: number;
  handleTaskMs: number;
  cleanupMs: number;
  subscriptionMs: number;
  /** One message (publish payload, sendTo payload, task payload or result), as JSON. */
  maxMessageBytes: number;
  /** Anything else crossing in one call (arguments or result), as JSON. */
  maxCallBytes: number;
  logRatePerSecond: number;
  logBurst: number;
  maxLogChars: number;
  /** Characters of data one agent.trace step keeps: a trace explains, it is not a log of payloads. */
  maxTraceChars: number;
  /** Agent-to-agent hops before sendTo refuses (stops A -> B -> A -> ... loops). */
  maxHops: number;
  maxSleepMs: number;
  maxFanOut: number;
  maxSubscriptions: number;
  maxWindows: number;
  /** Messages waiting for a subscribe() callback; more are dropped and counted. */
  maxQueuedMessages: number;
  /**
   * Async host calls (sleep, publish, ha.*, sendTo...) one agent may have pending at once, per
   * SDK function; past it a call fails at once. Each pending call holds a timer or a request, so
   * one agent must not be able to start them by the hundred thousand.
   */
  maxPendingCalls: number;
  /** The same for calls that hold megabytes or a shared provider: llm.chat, http.fetch, ha.cameraSnapshot, sendToMany. */
  maxPendingHeavyCalls: number;
}

export const DEFAULT_LIMITS: Readonly<SandboxLimits> = Object.freeze({
  memoryMb: 32,
  cpuPerEntryMs: 1000,
  loadMs: 10_000,
  setupMs: 60_000,
  processMs: 120_000,
  handleTaskMs: 60_000,
  cleanupMs: 10_000,
  subscriptionMs: 60_000,
  maxMessageBytes: 256 * 1024,
  maxCallBytes: 4 * 1024 * 1024,
  logRatePerSecond: 20,
  logBurst: 100,
  maxLogChars: 4000,
  maxTraceChars: 1000,
  maxHops: 8,
  maxSleepMs: 60_000,
  maxFanOut: 20,
  maxSubscriptions: 50,
  maxWindows: 20,
  maxQueuedMessages: 1000,
  maxPendingCalls: 100,
  maxPendingHeavyCalls: 8,
});

export function resolveLimits(overrides: Partial<SandboxLimits> = {}): SandboxLimits {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  if (limits.memoryMb < 8) throw new RangeError('sandbox memory limit must be at least 8 MB');
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`sandbox limit ${key} must be a positive number`);
  }
  return limits;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}
