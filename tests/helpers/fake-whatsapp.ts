// A local WhatsApp Cloud API (Graph API) speaking the real protocol over HTTP, and the other
// direction: real webhook payloads signed with the app secret, POSTed to our server as Meta does.
// The Graph side checks the bearer token (a wrong one is refused as Meta refuses it: 401,
// OAuthException code 190), the message shapes and the Cloud API's limits (text 4096, button body
// 1024, button title 20, at most 3 buttons), and records what was sent.
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_PHONE_NUMBER_ID = '106540352242922';
export const FAKE_WA_TOKEN = 'EAAG-fake-whatsapp-token';
export const FAKE_APP_SECRET = 'fake-app-secret-0123456789';
export const FAKE_VERIFY_TOKEN = 'verify-me-please';

export interface SentMessage {
  to: string;
  type: 'text' | 'interactive';
  text?: string;
  buttons?: { id: string; title: string }[];
}

export interface FakeWhatsApp {
  /** `http://127.0.0.1:<port>/v23.0`, for WHATSAPP_API_ROOT. */
  apiRoot: string;
  sent: SentMessage[];
  /** Message ids marked read (with the typing indicator). */
  reads: string[];
  /** Every request's method and path, media ones included. */
  requests: string[];
  /** Numbers whose 24-hour customer service window is closed: free-form messages are refused. */
  windowClosed: Set<string>;
  close(): Promise<void>;
}

function graphError(res: ServerResponse, status: number, code: number, message: string, type = 'OAuthException'): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, type, code, fbtrace_id: randomBytes(8).toString('base64url') } }));
}

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeWhatsApp(opts: { token?: string; displayPhoneNumber?: string } = {}): Promise<FakeWhatsApp> {
  const token = opts.token ?? FAKE_WA_TOKEN;
  const fake: Omit<FakeWhatsApp, 'apiRoot' | 'close'> = { sent: [], reads: [], requests: [], windowClosed: new Set() };
  let nextId = 1;

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      fake.requests.push(`${req.method} ${url.pathname}`);
      const path = url.pathname.replace(/^\/v\d+\.\d+/, '');
      if (req.headers.authorization !== `Bearer ${token}`) {
        return graphError(res, 401, 190, 'Invalid OAuth access token - Cannot parse access token');
      }
      if (req.method === 'GET' && path === `/${FAKE_PHONE_NUMBER_ID}`) {
        return json(res, { verified_name: 'Wactorz Home', display_phone_number: opts.displayPhoneNumber ?? '+1 555-010-0000', id: FAKE_PHONE_NUMBER_ID, quality_rating: 'GREEN' });
      }
      const media = /^\/(\d+)$/.exec(path);
      if (req.method === 'GET' && media) {
        return json(res, { messaging_product: 'whatsapp', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/media/${media[1]}`, mime_type: 'image/jpeg', sha256: 'x', file_size: 3, id: media[1] });
      }
      if (req.method === 'GET' && path.startsWith('/media/')) {
        res.writeHead(200, { 'content-type': 'image/jpeg' });
        return res.end(Buffer.from([0xff, 0xd8, 0xff]));
      }
      if (req.method === 'POST' && path === `/${FAKE_PHONE_NUMBER_ID}/messages`) {
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(await readBody(req)) as Record<string, unknown>;
        } catch {
          return graphError(res, 400, 100, 'Invalid JSON', 'GraphMethodException');
        }
        if (body.messaging_product !== 'whatsapp') return graphError(res, 400, 100, '(#100) The parameter messaging_product is required.', 'GraphMethodException');
        if (body.status === 'read') {
          fake.reads.push(String(body.message_id));
          return json(res, { success: true });
        }
        const to = typeof body.to === 'string' ? body.to : '';
        if (!/^\d{6,20}$/.test(to)) return graphError(res, 400, 100, '(#100) Invalid parameter', 'GraphMethodException');
        const sent = validate(body, to);
        if (typeof sent === 'string') return graphError(res, 400, 131009, `(#131009) Parameter value is not valid: ${sent}`, 'GraphMethodException');
        if (fake.windowClosed.has(to)) {
          return graphError(res, 400, 131047, '(#131047) Re-engagement message', 'GraphMethodException');
        }
        fake.sent.push(sent);
        return json(res, { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id: `wamid.FAKE${nextId++}` }] });
      }
      graphError(res, 400, 100, `Unsupported ${req.method} request`, 'GraphMethodException');
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    ...fake,
    apiRoot: `http://127.0.0.1:${port}/v23.0`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The message as recorded, or why the Cloud API would refuse it. */
function validate(body: Record<string, unknown>, to: string): SentMessage | string {
  if (body.type === 'text') {
    const text = (body.text as { body?: unknown } | undefined)?.body;
    if (typeof text !== 'string' || text === '') return 'text.body is required';
    if (text.length > 4096) return 'text.body is longer than 4096 characters';
    return { to, type: 'text', text };
  }
  if (body.type === 'interactive') {
    const i = body.interactive as { type?: string; body?: { text?: string }; action?: { buttons?: { type?: string; reply?: { id?: string; title?: string } }[] } };
    const text = i.body?.text ?? '';
    const buttons = i.action?.buttons ?? [];
    if (i.type !== 'button') return 'interactive.type must be button';
    if (text === '' || text.length > 1024) return 'interactive.body.text must be 1 to 1024 characters';
    if (buttons.length < 1 || buttons.length > 3) return 'there must be 1 to 3 buttons';
    for (const b of buttons) {
      if (b.type !== 'reply' || !b.reply?.id || !b.reply.title || b.reply.title.length > 20 || b.reply.id.length > 256) return 'a button is not valid';
    }
    return { to, type: 'interactive', text, buttons: buttons.map((b) => ({ id: b.reply?.id ?? '', title: b.reply?.title ?? '' })) };
  }
  return `unsupported type ${String(body.type)}`;
}

// ----- the webhook side: what Meta POSTs to us -----

let wamid = 1;

type MessageBody = Record<string, unknown>;

/** One `messages` webhook from `from` (digits) with their profile name, as Meta shapes it. */
export function messagePayload(from: string, message: MessageBody, opts: { name?: string; id?: string; phoneNumberId?: string } = {}): unknown {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550100000', phone_number_id: opts.phoneNumberId ?? FAKE_PHONE_NUMBER_ID },
              contacts: [{ profile: { name: opts.name ?? 'Alex' }, wa_id: from }],
              messages: [{ from, id: opts.id ?? `wamid.IN${wamid++}`, timestamp: String(Math.floor(Date.now() / 1000)), ...message }],
            },
          },
        ],
      },
    ],
  };
}

export const textMessage = (body: string): MessageBody => ({ type: 'text', text: { body } });
export const buttonReply = (id: string, title: string): MessageBody => ({ type: 'interactive', interactive: { type: 'button_reply', button_reply: { id, title } } });
export const imageMessage = (mediaId: string): MessageBody => ({ type: 'image', image: { id: mediaId, mime_type: 'image/jpeg', sha256: 'x', caption: 'look' } });

/** A delivery status update (sent / delivered / read), which carries no message. */
export function statusPayload(recipient: string): unknown {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: FAKE_PHONE_NUMBER_ID }, statuses: [{ id: 'wamid.OUT1', status: 'delivered', recipient_id: recipient, timestamp: '1' }] } }] }],
  };
}

export function sign(body: string, appSecret = FAKE_APP_SECRET): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/** POSTs `payload` to the webhook URL signed as Meta signs it (or with the given signature). */
export async function postWebhook(url: string, payload: unknown, opts: { signature?: string | null; appSecret?: string } = {}): Promise<Response> {
  const body = JSON.stringify(payload);
  const signature = opts.signature === undefined ? sign(body, opts.appSecret) : opts.signature;
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-hub-signature-256': signature }) },
    body,
  });
}
