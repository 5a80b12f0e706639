// The photo download behind a photo turn (TurnContext.images): the largest size is fetched through
// getFile and the token-bearing file URL of the Bot API server, as bytes a vision model takes.
import { Bot } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { downloadPhoto, largestPhoto } from '../../../../server/src/interfaces/telegram/photos.ts';
import { startFakeTelegram, type FakeTelegram } from '../../../helpers/fake-telegram.ts';
import { ALEX } from './world.ts';

let tg: FakeTelegram | undefined;
afterEach(async () => {
  await tg?.close();
  tg = undefined;
});

describe('Telegram photos', () => {
  it('downloads the largest size as base64', async () => {
    tg = await startFakeTelegram();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const message = tg.sendPhoto(ALEX, [{ width: 90, height: 60, bytes: Buffer.from('thumb') }, { width: 1280, height: 853, bytes: png }, { width: 320, height: 213, bytes: Buffer.from('mid') }]);
    const best = largestPhoto(message.photo ?? []);
    expect(best?.width).toBe(1280);
    const bot = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
    const photo = await downloadPhoto(best!, { api: bot.api, token: tg.token, apiRoot: tg.apiRoot, fetchImpl: fetch });
    expect(photo).toEqual({ data: png.toString('base64'), mediaType: 'image/png' });
    expect(tg.callsOf('getFile')).toEqual([{ file_id: best!.file_id }]);
  });

  it('a failed download says so without the token', async () => {
    tg = await startFakeTelegram();
    const message = tg.sendPhoto(ALEX, [{ width: 10, height: 10, bytes: Buffer.from('x') }]);
    const apiRoot = tg.apiRoot;
    await tg.drop();
    const failing = downloadPhoto(message.photo![0], { api: { getFile: async () => ({ file_id: 'f', file_unique_id: 'u', file_path: 'photos/x.jpg' }) }, token: tg.token, apiRoot, fetchImpl: fetch });
    await expect(failing).rejects.toThrow(/^The photo could not be downloaded/);
    await failing.catch((err: Error) => expect(err.message).not.toContain(tg!.token.split(':')[1]));
  });
});
