// The few Graph API calls the channel makes, over plain fetch: the Cloud API is HTTPS + JSON with
// a bearer token, and Meta ships no maintained Node SDK for it. Every refusal becomes a GraphError
// carrying Meta's own message and code (190: the token; 131047: outside the 24-hour window), so
// health, logs and the agent that asked for a notification say what WhatsApp said. The token goes
// only into the Authorization header: no URL, message or log line ever holds it.

export class GraphError extends Error {
  readonly status: number;
  /** Meta's error code (190 invalid token, 131047 re-engagement, 100 bad parameter...). */
  readonly code: number | undefined;

  constructor(status: number, code: number | undefined, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** The token is refused: retrying with it cannot help. */
  get tokenRefused(): boolean {
    return this.status === 401 || this.code === 190;
  }
}

export interface GraphOptions {
  apiRoot: string;
  accessToken: string;
  phoneNumberId: string;
  fetchImpl?: typeof fetch;
}

export interface ReplyButton {
  /** Up to 256 characters; comes back in the button reply. */
  id: string;
  /** Up to 20 characters. */
  title: string;
}

export interface PhoneNumberInfo {
  display_phone_number?: string;
  verified_name?: string;
}

const TIMEOUT_MS = 15_000;
/** WhatsApp's own limit for images. */
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/** What the person reading a refusal needs beyond Meta's own words. */
const HINTS: Record<number, string> = {
  190: 'the access token was refused; create a new permanent token (system user) and set whatsapp_access_token',
  131047: 'more than 24 hours have passed since this person last wrote to you, and outside that window WhatsApp delivers only approved template messages; they must send a message first',
  131026: 'the number cannot receive this message (not on WhatsApp, or an old app version)',
  131030: 'the number is not in the test number\'s allowed recipients list in the Meta app',
};

export class GraphApi {
  readonly #opts: GraphOptions;
  readonly #fetch: typeof fetch;

  constructor(opts: GraphOptions) {
    this.#opts = opts;
    this.#fetch = opts.fetchImpl ?? fetch;
  }

  /** GET /{phone-number-id}: proves the token and names the number we send from. */
  async phoneNumber(signal?: AbortSignal): Promise<PhoneNumberInfo> {
    return (await this.#call('GET', `/${this.#opts.phoneNumberId}?fields=display_phone_number,verified_name`, undefined, signal)) as PhoneNumberInfo;
  }

  /** A text message (at most 4096 characters); answers the message id WhatsApp gave it. */
  async sendText(to: string, body: string, signal?: AbortSignal): Promise<string | undefined> {
    return this.#send({ to, type: 'text', text: { body, preview_url: false } }, signal);
  }

  /** A message with up to three reply buttons (body at most 1024 characters). */
  async sendButtons(to: string, body: string, buttons: readonly ReplyButton[], signal?: AbortSignal): Promise<string | undefined> {
    return this.#send(
      {
        to,
        type: 'interactive',
        interactive: { type: 'button', body: { text: body }, action: { buttons: buttons.map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title } })) } },
      },
      signal,
    );
  }

  /**
   * A photo a person sent, as a vision model takes it: GET /{media-id} gives a short-lived URL,
   * which needs the same bearer token. WhatsApp caps images at 5 MB; anything larger is refused.
   */
  async image(mediaId: string, signal?: AbortSignal): Promise<{ data: string; mediaType: 'image/jpeg' | 'image/png' | 'image/webp' }> {
    const meta = (await this.#call('GET', `/${encodeURIComponent(mediaId)}`, undefined, signal)) as { url?: unknown; mime_type?: unknown };
    if (typeof meta.url !== 'string') throw new GraphError(200, undefined, 'WhatsApp gave no URL for the photo');
    const res = await this.#fetch(meta.url, { headers: { authorization: `Bearer ${this.#opts.accessToken}` }, signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]) : AbortSignal.timeout(TIMEOUT_MS) });
    if (!res.ok) throw new GraphError(res.status, undefined, `The photo could not be downloaded from WhatsApp (HTTP ${res.status})`);
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length > MAX_IMAGE_BYTES) throw new GraphError(200, undefined, 'The photo is larger than 5 MB');
    const type = typeof meta.mime_type === 'string' ? meta.mime_type.split(';')[0].trim().toLowerCase() : 'image/jpeg';
    const mediaType = type === 'image/png' || type === 'image/webp' ? type : 'image/jpeg';
    return { data: bytes.toString('base64'), mediaType };
  }

  /** Blue ticks on the person's message and "typing…" until the answer arrives (or 25 s pass). */
  async markRead(messageId: string, signal?: AbortSignal): Promise<void> {
    await this.#call('POST', `/${this.#opts.phoneNumberId}/messages`, { messaging_product: 'whatsapp', status: 'read', message_id: messageId, typing_indicator: { type: 'text' } }, signal);
  }

  async #send(message: Record<string, unknown>, signal?: AbortSignal): Promise<string | undefined> {
    const body = { messaging_product: 'whatsapp', recipient_type: 'individual', ...message };
    const res = (await this.#call('POST', `/${this.#opts.phoneNumberId}/messages`, body, signal)) as { messages?: { id?: string }[] };
    return res.messages?.[0]?.id;
  }

  async #call(method: 'GET' | 'POST', path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    const timeout = AbortSignal.timeout(TIMEOUT_MS);
    const res = await this.#fetch(`${this.#opts.apiRoot}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.#opts.accessToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? {} : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!res.ok) throw graphError(res.status, json);
    if (json === undefined) throw new GraphError(res.status, undefined, `WhatsApp answered ${res.status} with a body that is not JSON`);
    return json;
  }
}

function graphError(status: number, json: unknown): GraphError {
  const err = (json as { error?: { message?: unknown; code?: unknown; error_data?: { details?: unknown } } } | undefined)?.error;
  const code = typeof err?.code === 'number' ? err.code : undefined;
  const said = [err?.message, err?.error_data?.details].filter((s): s is string => typeof s === 'string' && s !== '').join(': ');
  const hint = code !== undefined ? HINTS[code] : undefined;
  const message = `WhatsApp refused the request (HTTP ${status}${code !== undefined ? `, code ${code}` : ''})${said ? `: ${said}` : ''}${hint ? ` (${hint})` : ''}`;
  return new GraphError(status, code, message);
}
