// What every MCP tool answers: a result with text for the client's LLM and structured content
// for programs, or a tool error (`isError`) carrying the service's refusal. A refusal or failure is
// never a protocol failure: the client's LLM reads it and can tell the user.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ServiceError } from '../../contract/service-error.ts';

export function need<T>(service: T | undefined, what: string): T {
  if (service === undefined) throw new ServiceError('unavailable', `${what} is not available yet`);
  return service;
}

export function ok(text: string, data: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: data };
}

export function json(data: unknown): string {
  return JSON.stringify(data, null, 2);
}

export function fail(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** A service's refusal is the message the user should read; anything else is not echoed. */
export function guarded<A>(fn: (args: A) => Promise<CallToolResult>): (args: A) => Promise<CallToolResult> {
  return async (args) => {
    try {
      return await fn(args);
    } catch (err) {
      return fail(err instanceof ServiceError ? err.message : `The call failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
}
