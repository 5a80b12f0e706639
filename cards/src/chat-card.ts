// wactorz-chat-card: a conversation with Wactorz on any dashboard, over the dashboard's own
// connection to HA (conversation.ts). The exchange stays while the card lives; answers are plain
// text (no Markdown parser in a card loaded on every dashboard page).
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { agentOf, processTurn } from './conversation.ts';
import { errorText, type HomeAssistant } from './hass.ts';
import { cardStyles } from './styles.ts';

export interface ChatCardConfig {
  type: string;
  title?: string;
  /** An Assist conversation agent; the Wactorz agent when left out. */
  agent_id?: string;
}

interface Line {
  from: 'user' | 'agent';
  text: string;
  error?: boolean;
}

export class WactorzChatCard extends LitElement {
  static override properties = {
    hass: { attribute: false },
    _config: { state: true },
    _lines: { state: true },
    _busy: { state: true },
  };

  declare hass: HomeAssistant | undefined;
  declare private _config: ChatCardConfig;
  declare private _lines: Line[];
  declare private _busy: boolean;
  private _conversationId: string | null = null;

  constructor() {
    super();
    this._config = { type: 'custom:wactorz-chat-card' };
    this._lines = [];
    this._busy = false;
  }

  static getStubConfig(): Omit<ChatCardConfig, 'type'> {
    return { title: 'Wactorz' };
  }

  /** HA draws the editor from this schema (its ha-form), so the card ships no editor of its own. */
  static getConfigForm() {
    return {
      schema: [
        { name: 'title', selector: { text: {} } },
        { name: 'agent_id', selector: { conversation_agent: {} } },
      ],
    };
  }

  setConfig(config: ChatCardConfig): void {
    if (config.agent_id !== undefined && typeof config.agent_id !== 'string') throw new Error('agent_id must be a conversation agent id');
    this._config = config;
  }

  getCardSize(): number {
    return 6;
  }

  getGridOptions() {
    return { columns: 12, rows: 6, min_rows: 4 };
  }

  static override styles = [cardStyles, css`
    .log {
      display: flex;
      flex-direction: column;
      gap: 8px;
      min-height: 120px;
      max-height: 360px;
      overflow-y: auto;
      padding: 4px 0 8px;
    }
    .bubble {
      max-width: 85%;
      padding: 8px 12px;
      border-radius: 15px;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      line-height: 1.4;
    }
    .user {
      align-self: flex-end;
      background: var(--primary-color, #03a9f4);
      color: var(--text-primary-color, #fff);
      border-bottom-right-radius: 4px;
    }
    .agent {
      align-self: flex-start;
      background: var(--secondary-background-color, #f0f0f0);
      border-bottom-left-radius: 4px;
    }
    .agent.error { background: none; border: 1px solid var(--error-color, #db4437); }
    .typing span { animation: blink 1.2s infinite; }
    .typing span:nth-child(2) { animation-delay: 0.2s; }
    .typing span:nth-child(3) { animation-delay: 0.4s; }
    @keyframes blink { 0%, 80%, 100% { opacity: 0.2; } 40% { opacity: 1; } }
    form { display: flex; gap: 8px; align-items: center; }
    input {
      flex: 1;
      min-width: 0;
      font: inherit;
      height: 36px;
      padding: 0 12px;
      border-radius: 18px;
      border: 1px solid var(--divider-color, #e0e0e0);
      background: var(--card-background-color, #fff);
      color: var(--primary-text-color, #212121);
    }
    .empty { margin: auto 0; text-align: center; }
  `];

  protected override updated(changed: PropertyValues): void {
    if (changed.has('_lines') || changed.has('_busy')) {
      const log = this.renderRoot.querySelector('.log');
      if (log) log.scrollTop = log.scrollHeight;
    }
  }

  private async _send(event: Event): Promise<void> {
    event.preventDefault();
    const input = this.renderRoot.querySelector('input');
    const text = input?.value.trim() ?? '';
    if (!text || this._busy || !this.hass || !input) return;
    input.value = '';
    this._lines = [...this._lines, { from: 'user', text }];
    this._busy = true;
    try {
      const turn = await processTurn(this.hass, agentOf(this.hass, this._config.agent_id), text, this._conversationId);
      // Kept whether or not the agent asked back: the next message continues this conversation, as in Assist's dialog.
      this._conversationId = turn.conversationId;
      this._lines = [...this._lines, { from: 'agent', text: turn.speech || '(no answer)', error: turn.error }];
    } catch (err) {
      this._lines = [...this._lines, { from: 'agent', text: `Could not reach the agent: ${errorText(err)}`, error: true }];
    } finally {
      this._busy = false;
      input.focus();
    }
  }

  override render() {
    const title = this._config.title ?? 'Wactorz';
    return html`<ha-card>
      ${title ? html`<div class="header">${title}</div>` : nothing}
      <div class="content">
        <div class="log" role="log" aria-live="polite">
          ${this._lines.length === 0 && !this._busy ? html`<p class="empty muted">Ask Wactorz anything: the house, a device, a rule.</p>` : nothing}
          ${this._lines.map((l) => html`<div class="bubble ${l.from} ${l.error ? 'error' : ''}" data-from=${l.from}>${l.text}</div>`)}
          ${this._busy ? html`<div class="bubble agent typing" aria-label="Wactorz is answering"><span>●</span><span>●</span><span>●</span></div>` : nothing}
        </div>
        <form @submit=${(e: Event) => this._send(e)}>
          <input type="text" name="message" placeholder="Message Wactorz" autocomplete="off" aria-label="Message" ?disabled=${!this.hass} />
          <button type="submit" ?disabled=${this._busy || !this.hass}>Send</button>
        </form>
      </div>
    </ha-card>`;
  }
}
