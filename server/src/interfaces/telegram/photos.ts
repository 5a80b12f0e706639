// A photo sent to the bot arrives as several sizes of one picture; a vision model wants the
// largest the Bot API will hand over (bots may download files up to 20 MB). getFile gives a path,
// and the bytes come from `<api root>/file/bot<token>/<path>`, a URL with the token in it, so a
// failure is reported with the token redacted. The photo goes with the caption to main's model
// (TurnContext.images), for that turn only.
import type { Api } from 'grammy';
import type { PhotoSize } from 'grammy/types';
import { redactToken } from './errors.ts';
import { grammySignal } from './signal.ts';

/** Bots may download files up to 20 MB from the public Bot API. */
export const MAX_PHOTO_BYTES = 20 * 1024 * 1024;

export function largestPhoto(sizes: readonly PhotoSize[]): PhotoSize | undefined {
  let best: PhotoSize | undefined;
  for (const p of sizes) {
    if (p.file_size !== undefined && p.file_size > MAX_PHOTO_BYTES) continue;
    if (!best || p.width * p.height > best.width * best.height) best = p;
  }
  return best;
}

export interface DownloadedPhoto {
  /** Base64, as the LLM layer's ImagePart carries it. */
  data: string;
  mediaType: 'image/jpeg' | 'image/png' | 'image/webp';
}

export interface DownloadOptions {
  api: Pick<Api, 'getFile'>;
  token: string;
  apiRoot: string;
  fetchImpl: typeof fetch;
  signal?: AbortSignal;
}

export async function downloadPhoto(photo: PhotoSize, o: DownloadOptions): Promise<DownloadedPhoto> {
  const file = await o.api.getFile(photo.file_id, grammySignal(o.signal));
  if (!file.file_path) throw new Error('Telegram did not give a path for the photo (larger than 20 MB?)');
  const url = `${o.apiRoot.replace(/\/+$/, '')}/file/bot${o.token}/${file.file_path}`;
  let res: Response;
  try {
    res = await o.fetchImpl(url, { signal: o.signal });
  } catch (err) {
    // eslint-disable-next-line preserve-caught-error -- the fetch error names the URL, and with it the bot token
    throw new Error(redactToken(`The photo could not be downloaded: ${err instanceof Error ? err.message : String(err)}`, o.token));
  }
  if (!res.ok) throw new Error(`The photo could not be downloaded (HTTP ${res.status})`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length > MAX_PHOTO_BYTES) throw new Error('The photo is larger than 20 MB');
  return { data: Buffer.from(bytes).toString('base64'), mediaType: sniff(bytes, file.file_path) };
}

/** Telegram re-encodes photos as JPEG; a path or magic bytes say otherwise for the rest. */
function sniff(bytes: Uint8Array, path: string): DownloadedPhoto['mediaType'] {
  if (bytes[0] === 0x89 && bytes[1] === 0x50) return 'image/png';
  if (bytes[0] === 0x52 && bytes[1] === 0x49 && bytes[8] === 0x57) return 'image/webp';
  if (/\.png$/i.test(path)) return 'image/png';
  return 'image/jpeg';
}
