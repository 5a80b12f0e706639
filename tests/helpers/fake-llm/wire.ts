// What each protocol module gives the fake server, and the framing helpers they share.
import type { ServerResponse } from 'node:http';
import type { FakeAnswer, FakeError, FakeProtocol, FakeRequest } from './script.ts';

export interface ProtocolHandler {
  protocol: FakeProtocol;
  matches(method: string, path: string): boolean;
  apiKey(headers: Record<string, string>): string | undefined;
  /** The 400 message the real API would give this body, if any. */
  validate(body: FakeRequest['body']): string | undefined;
  /** Writes the answer; false when it deliberately left the response open (hangAfterChunks). */
  writeAnswer(res: ServerResponse, req: FakeRequest, answer: FakeAnswer): Promise<boolean>;
  writeError(res: ServerResponse, req: FakeRequest, error: FakeError): void;
  /** The reply for a wrong API key. */
  unauthorized(receivedKey: string | undefined): FakeError;
}

/** One Server-Sent Event. */
export function sse(res: ServerResponse, data: unknown, event?: string): void {
  res.write(`${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
}

export function bearer(headers: Record<string, string>): string | undefined {
  const auth = headers.authorization;
  return auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
}

/** Lets the client read each chunk separately, as over a real network. */
export const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
