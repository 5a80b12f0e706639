// Pictures attached to a message, as a vision model takes them: image attachments of the types
// the LLM layer accepts, up to Discord's usual 10 MB each and four per message, downloaded from
// Discord's CDN (attachment URLs need no token). Other files are left to the caller to refuse.
import type { Attachment, Collection } from 'discord.js';
import type { ImagePart } from '../../llm/messages.ts';

const TYPES = new Set<ImagePart['mediaType']>(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);
const MAX_BYTES = 10 * 1024 * 1024;
const MAX_IMAGES = 4;

export function imageAttachments(attachments: Collection<string, Attachment>): Attachment[] {
  return [...attachments.values()].filter((a) => TYPES.has((a.contentType?.split(';')[0]?.trim() ?? '') as ImagePart['mediaType']) && a.size <= MAX_BYTES).slice(0, MAX_IMAGES);
}

export async function downloadImages(attachments: readonly Attachment[], signal: AbortSignal, fetchImpl: typeof fetch = fetch): Promise<ImagePart[]> {
  return Promise.all(
    attachments.map(async (a) => {
      const res = await fetchImpl(a.url, { signal: AbortSignal.any([signal, AbortSignal.timeout(30_000)]) });
      if (!res.ok) throw new Error(`Discord's CDN answered ${res.status} for ${a.name}`);
      const bytes = Buffer.from(await res.arrayBuffer());
      if (bytes.length > MAX_BYTES) throw new Error(`${a.name} is larger than 10 MB`);
      return { type: 'image' as const, mediaType: (a.contentType?.split(';')[0]?.trim() ?? 'image/jpeg') as ImagePart['mediaType'], data: bytes.toString('base64') };
    }),
  );
}
