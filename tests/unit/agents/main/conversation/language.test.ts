import { describe, expect, it } from 'vitest';
import { languageNote } from '../../../../../server/src/agents/main/conversation/language.ts';
import { withoutImages } from '../../../../../server/src/llm/conversation/conversation.ts';

describe("the turn's language in main's prompt", () => {
  it('names the language to answer in, and says nothing for English or a bad tag', () => {
    expect(languageNote('de')).toBe('The person speaks German (de): answer in German.');
    expect(languageNote('pt-BR')).toBe('The person speaks Brazilian Portuguese (pt-BR): answer in Brazilian Portuguese.');
    for (const tag of ['en', 'en-GB', '', undefined, 'not a tag', 'de; drop table']) expect(languageNote(tag), String(tag)).toBeUndefined();
  });
});

describe('images are for one exchange', () => {
  it('keeps a note in place of each image of a user message, and leaves the rest alone', () => {
    const photo = { role: 'user' as const, content: [{ type: 'text' as const, text: 'what is this?' }, { type: 'image' as const, mediaType: 'image/jpeg' as const, data: '/9j/4AAQ' }] };
    expect(withoutImages(photo)).toEqual({ role: 'user', content: [{ type: 'text', text: 'what is this?' }, { type: 'text', text: '[an image (image/jpeg) was shown here; not kept]' }] });
    const plain = { role: 'user' as const, content: 'hello' };
    expect(withoutImages(plain)).toBe(plain);
    const answer = { role: 'assistant' as const, content: 'A parcel.' };
    expect(withoutImages(answer)).toBe(answer);
  });
});
