// Errors as they cross the boundary. Only a message goes into an isolate: no host stack, no file
// paths of the server, no credentials a host library might have put in its message.
import type { SandboxErrorEvent, SandboxPhase, SandboxSeverity } from './types.ts';

/** Raised by SDK host functions for refusals the agent should read (bad argument, scope, limit). */
export class SdkError extends Error {
  override name = 'SdkError';
}

/** What a hook call rejects with; the same facts are reported to AgentHost.reportError. */
export class SandboxError extends Error implements SandboxErrorEvent {
  override name = 'SandboxError';
  readonly phase: SandboxPhase;
  readonly severity: SandboxSeverity;

  constructor(event: SandboxErrorEvent) {
    super(event.message);
    this.phase = event.phase;
    this.severity = event.severity;
  }

  toEvent(): SandboxErrorEvent {
    return { phase: this.phase, severity: this.severity, message: this.message };
  }
}

const MAX_MESSAGE = 2000;

/** The message of any thrown value, without stack frames, host paths or secrets. */
export function publicMessage(err: unknown): string {
  let message = err instanceof Error ? err.message : typeof err === 'string' ? err : 'unknown error';
  message = message
    .split('\n')
    .filter((line) => !/^\s+at\s/.test(line))
    .join('\n')
    .replace(/(bearer\s+)[\w.~+/=-]+/gi, '$1***')
    .replace(/((?:token|api[_-]?key|password|secret)["']?\s*[:=]\s*["']?)[^\s"'&,}]+/gi, '$1***')
    .replace(/(?:file:\/\/)?\/[\w.@-]+(?:\/[\w.@-]+)+\.(?:[cm]?[jt]s|node)(?::\d+(?::\d+)?)?/g, '<host>')
    .trim();
  if (message.length > MAX_MESSAGE) message = `${message.slice(0, MAX_MESSAGE)}...`;
  return message || 'unknown error';
}
