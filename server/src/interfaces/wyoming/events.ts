// The events Wactorz answers, their data checked by zod: `describe` → `info` (one `handle`
// program), `transcript` → `handled` / `not-handled`, `ping` → `pong`; anything else is an
// `error` event. HA's wyoming conversation entity reads only `handled` / `not-handled` (it has no
// reader for `handled-start/-chunk/-stop`), so `supports_handled_streaming` is false and the
// whole answer goes in one `handled`.
import { z } from 'zod';

export const TranscriptData = z.object({
  text: z.string().max(4000),
  language: z.string().max(35).optional(),
  context: z
    .object({
      conversation_id: z.string().max(200).optional(),
      device_id: z.string().max(200).optional(),
      satellite_id: z.string().max(200).optional(),
    })
    .passthrough()
    .optional(),
});
export type TranscriptData = z.infer<typeof TranscriptData>;

/** The languages a turn is answered in: the LLM answers in the language it is spoken to. */
export const LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'el', 'pl', 'sv', 'da', 'fi', 'nb', 'cs'];

const ATTRIBUTION = { name: 'Wactorz', url: 'https://github.com/waldiez/wactorz-homeassistant' };

export function infoData(version: string): Record<string, unknown> {
  const artifact = { attribution: ATTRIBUTION, installed: true, version };
  return {
    asr: [],
    tts: [],
    intent: [],
    wake: [],
    mic: [],
    snd: [],
    handle: [
      {
        name: 'Wactorz',
        description: 'Wactorz multi-agent assistant: one orchestrator turn per transcript',
        ...artifact,
        supports_handled_streaming: false,
        supports_home_control: true,
        models: [{ name: 'wactorz', description: 'Wactorz orchestrator', ...artifact, languages: LANGUAGES }],
      },
    ],
  };
}
