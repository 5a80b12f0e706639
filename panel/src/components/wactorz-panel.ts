// The panel's root element. Home Assistant's theme variables are used throughout so the panel
// looks native in light and dark themes; fallbacks keep it readable when opened outside HA.
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { fetchHealth, type Health } from '../data/health.ts';
import './health-card.ts';

const REFRESH_MS = 5_000;

@customElement('wactorz-panel')
export class WactorzPanel extends LitElement {
  @state() private accessor _health: Health | undefined = undefined;
  @state() private accessor _error: string | undefined = undefined;
  private _timer: ReturnType<typeof setInterval> | undefined;
  private _abort: AbortController | undefined;

  static override styles = css`
    :host {
      display: block;
      min-height: 100vh;
      box-sizing: border-box;
      font-family: var(--paper-font-body1_-_font-family, Roboto, system-ui, sans-serif);
      background: var(--primary-background-color, #fafafa);
      color: var(--primary-text-color, #212121);
    }
    @media (prefers-color-scheme: dark) {
      :host { background: var(--primary-background-color, #111); color: var(--primary-text-color, #e1e1e1); --card-background-color: var(--ha-card-background, #1c1c1c); }
    }
    header {
      height: 56px; display: flex; align-items: center; padding: 0 16px;
      background: var(--app-header-background-color, var(--primary-color, #03a9f4));
      color: var(--app-header-text-color, var(--text-primary-color, #fff));
      font-size: 20px;
    }
    main { padding: 16px; max-width: 960px; margin: 0 auto; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    void this._refresh();
    this._timer = setInterval(() => void this._refresh(), REFRESH_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this._timer);
    this._abort?.abort();
  }

  private async _refresh(): Promise<void> {
    this._abort?.abort();
    this._abort = new AbortController();
    try {
      this._health = await fetchHealth(this._abort.signal);
      this._error = undefined;
    } catch (err) {
      if ((err as Error).name === 'AbortError') return;
      this._error = (err as Error).message;
    }
  }

  override render() {
    return html`<header>Wactorz</header>
      <main><wactorz-health-card .health=${this._health} .error=${this._error}></wactorz-health-card></main>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wactorz-panel': WactorzPanel;
  }
}
