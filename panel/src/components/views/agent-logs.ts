// An agent's log: the recent lines from the API, then live lines as they are published. Bounded,
// so a chatty agent cannot grow the page without end.
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { fetchAgent, subscribeAgentLogs } from '../../data/agents.ts';
import { live } from '../../data/live.ts';
import type { AgentLogLine } from '../../data/types.ts';
import { errorText } from '../../format.ts';

const MAX_LINES = 200;
const READY_WAIT_MS = 1500;

@customElement('wz-agent-logs')
export class WzAgentLogs extends LitElement {
  @property({ attribute: false }) accessor name = '';
  @state() private accessor _lines: AgentLogLine[] = [];
  @state() private accessor _error: string | undefined = undefined;
  private _off: (() => void) | undefined;

  static override styles = css`
    pre {
      margin: 8px 0 0; max-height: 220px; overflow: auto; font-size: 0.8rem; padding: 8px; border-radius: 6px;
      font-family: var(--code-font-family, ui-monospace, monospace);
      background: color-mix(in srgb, var(--primary-text-color) 6%, transparent); white-space: pre-wrap;
    }
    .warn { color: var(--warning-color); }
    .error { color: var(--error-color); }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    this._off = subscribeAgentLogs(this.name, (line) => this._add([line]));
    void this._loadRecent();
  }

  /** After the live subscription stands, so no line falls between the history and the stream. */
  private async _loadRecent(): Promise<void> {
    await Promise.race([live.ready(`logs/${this.name}`), new Promise((r) => setTimeout(r, READY_WAIT_MS))]);
    try {
      this._add((await fetchAgent(this.name)).recent_logs, true);
    } catch (err) {
      this._error = errorText(err);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._off?.();
  }

  private _add(lines: AgentLogLine[], older = false): void {
    this._lines = (older ? [...lines, ...this._lines] : [...this._lines, ...lines]).slice(-MAX_LINES);
  }

  override render() {
    if (this._error) return html`<pre class="error">${this._error}</pre>`;
    return html`<pre data-logs=${this.name}>${this._lines.length === 0 ? 'No log lines yet.' : ''}${this._lines.map(
      (l) => html`<span class=${l.level === 'error' ? 'error' : l.level === 'warn' ? 'warn' : ''}>${new Date(l.at).toLocaleTimeString()} ${l.level.padEnd(5)} ${l.message}\n</span>`,
    )}</pre>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wz-agent-logs': WzAgentLogs;
  }
}
