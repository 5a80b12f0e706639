// The webhook's body (`object: whatsapp_business_account`, `entry[].changes[].value`) reduced to
// what the channel acts on: each incoming message with its sender and the sender's profile name.
// Status updates (sent, delivered, read) arrive in the same shape under `statuses` and are
// ignored; so are messages to another phone number of the same Meta app. Unknown fields pass
// (Meta adds fields without notice); a message type we do not read becomes `other`.
import { z } from 'zod';

const Message = z.looseObject({
  from: z.string(),
  id: z.string(),
  type: z.string(),
  text: z.looseObject({ body: z.string() }).optional(),
  interactive: z
    .looseObject({
      type: z.string(),
      button_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
      list_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
    })
    .optional(),
  /** A quick-reply button of a template message. */
  button: z.looseObject({ payload: z.string().optional(), text: z.string() }).optional(),
  /** A photo: its media id (fetched through the Graph API) and the caption typed with it. */
  image: z.looseObject({ id: z.string(), mime_type: z.string().optional(), caption: z.string().optional() }).optional(),
});

const Value = z.looseObject({
  metadata: z.looseObject({ phone_number_id: z.string() }).optional(),
  contacts: z.array(z.looseObject({ wa_id: z.string().optional(), profile: z.looseObject({ name: z.string().optional() }).optional() })).optional(),
  messages: z.array(z.unknown()).optional(),
});

const Payload = z.looseObject({
  object: z.string().optional(),
  entry: z.array(z.looseObject({ changes: z.array(z.looseObject({ field: z.string().optional(), value: Value })).optional() })).optional(),
});

/** Media other than a photo; the channel answers that it reads text and photos only. */
const MEDIA = new Set(['image', 'audio', 'video', 'document', 'sticker', 'voice']);
/** Nothing to answer: a reaction to an earlier message, a number change notice. */
const SILENT = new Set(['reaction', 'system', 'ephemeral', 'request_welcome']);

interface Sender {
  /** Message id, for de-duplication and the read receipt. */
  id: string;
  /** The sender's number, digits only (WhatsApp's wa_id). */
  from: string;
  name?: string;
}

export type Inbound = Sender &
  (
    | { kind: 'text'; text: string }
    | { kind: 'button'; buttonId: string; title: string }
    | { kind: 'image'; mediaId: string; caption: string }
    | { kind: 'media'; type: string }
    | { kind: 'other'; type: string }
  );

/** Undefined when the body is not a WhatsApp webhook at all. */
export function parseWebhook(body: unknown, phoneNumberId: string): Inbound[] | undefined {
  const parsed = Payload.safeParse(body);
  if (!parsed.success) return undefined;
  const out: Inbound[] = [];
  for (const entry of parsed.data.entry ?? []) {
    for (const change of entry.changes ?? []) {
      const v = change.value;
      if (v.metadata && v.metadata.phone_number_id !== phoneNumberId) continue;
      for (const raw of v.messages ?? []) {
        const m = Message.safeParse(raw);
        if (!m.success) continue;
        const from = m.data.from.replace(/\D/g, '');
        const name = v.contacts?.find((c) => c.wa_id === undefined || c.wa_id.replace(/\D/g, '') === from)?.profile?.name;
        const sender: Sender = { id: m.data.id, from, ...(name ? { name } : {}) };
        const inbound = classify(m.data, sender);
        if (inbound) out.push(inbound);
      }
    }
  }
  return out;
}

function classify(m: z.infer<typeof Message>, sender: Sender): Inbound | undefined {
  if (m.type === 'text' && m.text) return { ...sender, kind: 'text', text: m.text.body };
  const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
  if (m.type === 'interactive' && reply) return { ...sender, kind: 'button', buttonId: reply.id, title: reply.title };
  if (m.type === 'button' && m.button) return { ...sender, kind: 'button', buttonId: m.button.payload ?? '', title: m.button.text };
  if (m.type === 'image' && m.image) return { ...sender, kind: 'image', mediaId: m.image.id, caption: m.image.caption?.trim() ?? '' };
  if (MEDIA.has(m.type)) return { ...sender, kind: 'media', type: m.type };
  if (SILENT.has(m.type)) return undefined;
  return { ...sender, kind: 'other', type: m.type };
}
