// Hides <spawn>, <delete> and <delegate> blocks from an answer while it streams: the user reads
// prose as it arrives, never half a JSON spawn config. Text that might start a block (a "<", a
// ``` fence line) is held until it is clearly prose or clearly a block; a block's markdown fence
// goes with it, and the blank lines around a removed block collapse. The filter's output is
// what the user sees, so the streamed deltas and the final reply are the same text.

const OPENER = /^<(spawn|delete|delegate)(\s[^<>]*)?>/i;
const TAGS = ['spawn', 'delete', 'delegate'] as const;
type Tag = (typeof TAGS)[number];

type Mode =
  | { kind: 'text' }
  /** Inside a block, swallowing until its closing tag. */
  | { kind: 'block'; tag: Tag; opener: string; fenced: boolean; spaces: string }
  /** After a fenced block: swallowing the closing ``` if it comes next. */
  | { kind: 'after-fence' };

type Decision = 'wait' | 'entered' | { show: string };

export class BlockFilter {
  #pending = '';
  #mode: Mode = { kind: 'text' };
  /** Where the search for a block's closing tag resumes (blocks can be long; never rescan). */
  #scanFrom = 0;
  #shownAny = false;
  /** After a removed block, whitespace is held here and collapsed when prose resumes. */
  #collapse = false;
  #held = '';
  /** Trailing whitespace of shown text, held until more prose follows (a block may come next). */
  #spaces = '';
  /** Blocks removed so far. */
  removed = 0;

  /** Feeds a chunk; returns the text that can be shown now. */
  push(chunk: string): string {
    this.#pending += chunk;
    return this.#drain(false);
  }

  /** The stream ended: returns whatever is left to show. */
  end(): string {
    return this.#drain(true);
  }

  #drain(final: boolean): string {
    let out = '';
    for (;;) {
      const mode = this.#mode;
      if (mode.kind === 'block') {
        const re = new RegExp(`</${mode.tag}\\s*>`, 'ig');
        re.lastIndex = this.#scanFrom;
        const close = re.exec(this.#pending);
        if (!close) {
          this.#scanFrom = Math.max(0, this.#pending.length - mode.tag.length - 8);
          if (!final) return out;
          // Unclosed: a cut-off <spawn> with JSON stays hidden (it is reported as an error);
          // any other unclosed tag was prose after all, as the block parser also decides.
          const cutSpawn = mode.tag === 'spawn' && /^\s*(\{|```)/.test(this.#pending);
          const rest = cutSpawn ? '' : mode.spaces + mode.opener + this.#pending;
          this.#pending = '';
          this.#mode = { kind: 'text' };
          if (cutSpawn) this.removed++;
          return out + this.#show(rest);
        }
        this.#pending = this.#pending.slice(close.index + close[0].length);
        this.#scanFrom = 0;
        this.#mode = mode.fenced ? { kind: 'after-fence' } : { kind: 'text' };
        this.#collapse = true;
        this.#held = mode.spaces;
        this.removed++;
        continue;
      }
      if (mode.kind === 'after-fence') {
        const m = /^\s*```[^\S\n]*(\n|$)/.exec(this.#pending);
        if (m && (m[1] === '\n' || final)) {
          this.#pending = this.#pending.slice(m[0].length);
          this.#mode = { kind: 'text' };
          continue;
        }
        if (!final && /^\s*`{0,3}[^\S\n]*$/.test(this.#pending)) return out;
        this.#mode = { kind: 'text' };
        continue;
      }

      // Plain text: show up to the next place a block could begin.
      const lt = this.#pending.indexOf('<');
      const fence = fenceStart(this.#pending);
      const cut = Math.min(lt === -1 ? Infinity : lt, fence === -1 ? Infinity : fence);
      const before = cut === Infinity ? this.#pending : this.#pending.slice(0, cut);
      this.#pending = cut === Infinity ? '' : this.#pending.slice(cut);
      out += this.#show(before);
      if (cut === Infinity) return out;
      const decision = cut === lt ? this.#atTag(final) : this.#atFence(final);
      if (decision === 'wait') return out;
      if (decision !== 'entered') out += this.#show(decision.show);
    }
  }

  /** At a "<": a block opener (enter block mode), prose (shown), or undecided. */
  #atTag(final: boolean): Decision {
    const m = OPENER.exec(this.#pending);
    if (m) {
      this.#mode = { kind: 'block', tag: m[1].toLowerCase() as Tag, opener: m[0], fenced: false, spaces: this.#spaces };
      this.#pending = this.#pending.slice(m[0].length);
      this.#spaces = '';
      return 'entered';
    }
    if (!final && couldBecomeOpener(this.#pending)) return 'wait';
    this.#pending = this.#pending.slice(1);
    return { show: '<' };
  }

  /** At a ``` line: a fence around a block (dropped with it), an ordinary fence, or undecided. */
  #atFence(final: boolean): Decision {
    const m = /^```[\w-]*[^\S\n]*\n\s*/.exec(this.#pending);
    if (!m) {
      if (!final && /^`{1,3}[\w-]*[^\S\n]*$/.test(this.#pending)) return 'wait';
      this.#pending = this.#pending.slice(1);
      return { show: '`' };
    }
    const after = this.#pending.slice(m[0].length);
    const opener = OPENER.exec(after);
    if (opener) {
      this.#mode = { kind: 'block', tag: opener[1].toLowerCase() as Tag, opener: opener[0], fenced: true, spaces: this.#spaces };
      this.#pending = after.slice(opener[0].length);
      this.#spaces = '';
      return 'entered';
    }
    if (!final && (after === '' || couldBecomeOpener(after))) return 'wait';
    // An ordinary code fence: show its opening line and carry on.
    const line = this.#pending.indexOf('\n') + 1;
    const shown = this.#pending.slice(0, line);
    this.#pending = this.#pending.slice(line);
    return { show: shown };
  }

  /**
   * Shows text. Trailing whitespace is always held back until more prose follows: a block may
   * come next, and the whitespace on both sides of a removed block collapses to one separator.
   */
  #show(text: string): string {
    if (text === '') return '';
    let t = text;
    if (this.#collapse) {
      const lead = /^\s*/.exec(t)![0];
      this.#held += lead;
      t = t.slice(lead.length);
      if (t === '') return '';
      const newlines = Math.min(2, this.#held.split('\n').length - 1);
      const sep = !this.#shownAny ? '' : newlines > 0 ? '\n'.repeat(newlines) : this.#held.length > 0 ? ' ' : '';
      this.#collapse = false;
      this.#held = '';
      t = sep + t;
    } else if (!this.#shownAny) {
      t = t.replace(/^\s+/, '');
      if (t === '') return '';
    }
    const all = this.#spaces + t;
    const trailing = /\s*$/.exec(all)![0];
    this.#spaces = trailing;
    const out = all.slice(0, all.length - trailing.length);
    if (out !== '') this.#shownAny = true;
    return out;
  }
}

function couldBecomeOpener(text: string): boolean {
  const lower = text.toLowerCase();
  return TAGS.some((tag) => {
    const opener = `<${tag}`;
    if (lower.length <= opener.length) return opener.startsWith(lower);
    // "<spawn" then attributes: undecided until the ">".
    return lower.startsWith(opener) && /^\s/.test(lower.slice(opener.length)) && !lower.includes('>') && !lower.includes('<', 1);
  });
}

/** Index of a ``` at the start of a line (where a fence may open), or -1. */
function fenceStart(text: string): number {
  const re = /(^|\n)(`{1,3})/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = m.index + m[1].length;
    // A partial "`" or "``" at the very end may still become a fence; earlier ones are prose.
    if (m[2] === '```' || at + m[2].length === text.length) return at;
  }
  return -1;
}
