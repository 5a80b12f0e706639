// The language a turn came in (HA Assist tells it; a chat app may): main's prompt says it, so the
// answer comes back in that language even when the person's words are short ("licht an") or the
// home's names are English. Nothing is added for English or an unknown tag.

const TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

export function languageNote(tag: string | undefined): string | undefined {
  const t = tag?.trim();
  if (!t || !TAG.test(t) || /^en(-|$)/i.test(t)) return undefined;
  let name = t;
  try {
    name = new Intl.DisplayNames(['en'], { type: 'language' }).of(t) ?? t;
  } catch {
    // A well-formed tag Intl does not know: the tag itself.
  }
  return `The person speaks ${name} (${t}): answer in ${name}.`;
}
