// Platforms cap a message's length (Telegram 4096, Discord 2000, WhatsApp 4096 characters). A
// long answer is split at the last paragraph, line or word break before the limit, so no word
// and, where possible, no line is cut; a code fence open at a cut is closed and reopened so both
// parts render.

export function splitMessage(text: string, limit: number): string[] {
  if (limit < 16) throw new Error('limit too small');
  const parts: string[] = [];
  let rest = text;
  let reopen = '';
  while (reopen.length + rest.length > limit) {
    const budget = limit - reopen.length - 4; // room for a closing fence
    const window = rest.slice(0, budget);
    let cut = Math.max(window.lastIndexOf('\n\n'), window.lastIndexOf('\n'));
    if (cut < budget / 2) cut = window.lastIndexOf(' ');
    if (cut < budget / 4) cut = budget;
    let part = reopen + rest.slice(0, cut).trimEnd();
    rest = rest.slice(cut).replace(/^\s+/, '');
    const fences = (part.match(/^```/gm) ?? []).length;
    if (fences % 2 === 1) {
      const lang = /^```(\S*)/m.exec(part.slice(part.lastIndexOf('```')))?.[1] ?? '';
      part += '\n```';
      reopen = `\`\`\`${lang}\n`;
    } else reopen = '';
    parts.push(part);
  }
  if (parts.length === 0 || rest.trim() !== '') parts.push(reopen + rest);
  return parts;
}
