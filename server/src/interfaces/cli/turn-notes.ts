// The lines a chat turn's events get in the terminal besides the answer's own text, the same for
// the in-process and the remote session: what main did on the way (· done, ! failed) and
// proposals. Successful device actions and notices are in the answer already.
import type { ChatEvent } from '../../contract/chat.ts';

export function noteOf(e: ChatEvent): string | undefined {
  switch (e.type) {
    case 'spawn':
    case 'delete':
    case 'delegate':
      return `${e.ok ? '·' : '!'} ${e.text}`;
    case 'tool':
      return e.ok ? undefined : `! ${e.name}: ${e.text}`;
    case 'proposal':
      return `· proposal ${e.plan.id}: ${e.plan.title} (/plans show ${e.plan.id})`;
    case 'error':
      return `! ${e.message}`;
    case 'start':
    case 'delta':
    case 'notification':
    case 'done':
      return undefined;
  }
}
