// The Health tab: the system health card, refreshed every few seconds.
import { LitElement, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { fetchHealth, type Health } from '../../data/health.ts';
import { errorText } from '../../format.ts';
import '../health-card.ts';

const REFRESH_MS = 5_000;

@customElement('wz-health-view')
export class WzHealthView extends LitElement {
  @state() private accessor _health: Health | undefined = undefined;
  @state() private accessor _error: string | undefined = undefined;
  private _timer: ReturnType<typeof setInterval> | undefined;
  private _abort: AbortController | undefined;

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
    const ac = new AbortController();
    this._abort = ac;
    try {
      this._health = await fetchHealth(ac.signal);
      this._error = undefined;
    } catch (err) {
      if (!ac.signal.aborted) this._error = errorText(err);
    }
  }

  override render() {
    return html`<wactorz-health-card .health=${this._health} .error=${this._error}></wactorz-health-card>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wz-health-view': WzHealthView;
  }
}
