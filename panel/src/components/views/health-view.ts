// The Health tab: the system health card, refreshed every few seconds.
import { LitElement, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { fetchHealth, type Health } from '../../data/health.ts';
import { errorText } from '../../format.ts';
import '../health-card.ts';
import { LatestRequest } from '../shared/latest-request.ts';

const REFRESH_MS = 5_000;

@customElement('wz-health-view')
export class WzHealthView extends LitElement {
  @state() private accessor _health: Health | undefined = undefined;
  @state() private accessor _error: string | undefined = undefined;
  private _timer: ReturnType<typeof setInterval> | undefined;
  private readonly _request = new LatestRequest(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this._refresh();
    this._timer = setInterval(() => void this._refresh(), REFRESH_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this._timer);
  }

  private async _refresh(): Promise<void> {
    const signal = this._request.next();
    try {
      this._health = await fetchHealth(signal);
      this._error = undefined;
    } catch (err) {
      if (!signal.aborted) this._error = errorText(err);
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
