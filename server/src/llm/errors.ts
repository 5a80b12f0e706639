// One error type for every LLM failure, whatever SDK raised it. Its message names the provider
// and says what to do, and never carries an API key: some providers echo the key they received
// in their 401 body, so upstream text is scrubbed before it is kept.
import type { ProviderName } from './types.ts';

export type LlmErrorKind =
  | 'auth' // 401/403: the key is wrong or lacks access
  | 'bad_request' // 400/404/422: the request or the model name is wrong
  | 'rate_limit' // 429
  | 'server' // 5xx, 529
  | 'network' // the provider could not be reached
  | 'timeout'
  | 'aborted'
  | 'budget' // the spending cap is reached and no fallback is configured
  | 'not_configured'
  | 'invalid_response';

export const PROVIDER_LABELS: Record<ProviderName, string> = {
  anthropic: 'Anthropic',
  openai: 'OpenAI',
  ollama: 'Ollama',
  nim: 'NVIDIA NIM',
  gemini: 'Google Gemini',
};

export const PROVIDER_KEY_ENV: Record<ProviderName, string | undefined> = {
  anthropic: 'ANTHROPIC_API_KEY',
  openai: 'OPENAI_API_KEY',
  ollama: undefined,
  nim: 'NIM_API_KEY',
  gemini: 'GEMINI_API_KEY',
};

export interface LlmErrorInit {
  kind: LlmErrorKind;
  provider?: ProviderName | undefined;
  status?: number | undefined;
  /** How long the provider asked us to wait (retry-after), when it said. */
  retryAfterMs?: number | undefined;
}

export class LlmError extends Error {
  override readonly name = 'LlmError';
  readonly kind: LlmErrorKind;
  readonly provider: ProviderName | undefined;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, init: LlmErrorInit) {
    super(message);
    this.kind = init.kind;
    this.provider = init.provider;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** Worth another attempt after a pause. */
  get retryable(): boolean {
    return this.kind === 'rate_limit' || this.kind === 'server' || this.kind === 'network';
  }
}

// Shapes of provider keys, masked even when the key itself is not known to us (e.g. a key from
// another configuration echoed by a proxy).
const KEY_PATTERNS = [/sk-[A-Za-z0-9_*-]{8,}/g, /nvapi-[A-Za-z0-9_-]{8,}/g, /AIza[A-Za-z0-9_-]{20,}/g];

/** Removes the given secrets and anything shaped like an API key from a text. */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('***');
  }
  for (const pattern of KEY_PATTERNS) out = out.replace(pattern, '***');
  return out;
}

/** The error for an HTTP status from a provider, with advice that fits the status. */
export function httpError(provider: ProviderName, status: number, upstream: string, retryAfterMs?: number): LlmError {
  const label = PROVIDER_LABELS[provider];
  const detail = upstream.trim() === '' ? '' : `: ${truncate(upstream.trim(), 300)}`;
  if (status === 401 || status === 403) {
    const env = PROVIDER_KEY_ENV[provider];
    const advice = env ? ` Check ${env} (the key is missing, wrong or revoked).` : '';
    return new LlmError(`${label} rejected the credentials (HTTP ${status})${detail}.${advice}`, { kind: 'auth', provider, status });
  }
  if (status === 429) {
    return new LlmError(`${label} is rate limiting requests (HTTP 429)${detail}.`, { kind: 'rate_limit', provider, status, retryAfterMs });
  }
  if (status >= 500) {
    return new LlmError(`${label} had a server error (HTTP ${status})${detail}.`, { kind: 'server', provider, status, retryAfterMs });
  }
  if (status === 404) {
    return new LlmError(`${label} does not know this endpoint or model (HTTP 404)${detail}. Check the model name and the base URL.`, { kind: 'bad_request', provider, status });
  }
  return new LlmError(`${label} refused the request (HTTP ${status})${detail}.`, { kind: 'bad_request', provider, status });
}

/** Reads retry-after / retry-after-ms (seconds or an HTTP date) into milliseconds. */
export function retryAfterFrom(headers: { get(name: string): string | null } | undefined, now: number): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const raw = headers.get('retry-after');
  if (raw == null || raw.trim() === '') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
