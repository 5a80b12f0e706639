import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ConnectionState, Health } from '../data/health.ts';

const STATE_LABEL: Record<ConnectionState, string> = {
  connected: 'Connected',
  connecting: 'Connecting…',
  disconnected: 'Disconnected',
  failed: 'Failed',
  disabled: 'Off',
};

function formatUptime(seconds: number): string {
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return d > 0 ? `${d}d ${h}h ${m}m` : h > 0 ? `${h}h ${m}m` : `${m}m ${s % 60}s`;
}

@customElement('wactorz-health-card')
export class WactorzHealthCard extends LitElement {
  @property({ attribute: false }) accessor health: Health | undefined = undefined;
  @property({ attribute: false }) accessor error: string | undefined = undefined;

  static override styles = css`
    :host { display: block; }
    .card {
      background: var(--card-background-color, #fff);
      color: var(--primary-text-color, #212121);
      border-radius: var(--ha-card-border-radius, 12px);
      box-shadow: var(--ha-card-box-shadow, 0 2px 4px rgba(0, 0, 0, 0.12));
      padding: 16px;
    }
    h2 { margin: 0 0 12px; font-size: 1.1rem; font-weight: 500; display: flex; align-items: center; gap: 8px; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; margin: 0; }
    dt { color: var(--secondary-text-color, #727272); }
    dd { margin: 0; overflow-wrap: anywhere; }
    .dot { width: 10px; height: 10px; border-radius: 50%; display: inline-block; }
    .ok { background: var(--success-color, #43a047); }
    .bad { background: var(--error-color, #db4437); }
    .warn { background: var(--warning-color, #ffa600); }
    .error { color: var(--error-color, #db4437); }
  `;

  private _dot(state: ConnectionState) {
    const cls = state === 'connected' ? 'ok' : state === 'connecting' || state === 'disabled' ? 'warn' : 'bad';
    return html`<span class="dot ${cls}" aria-hidden="true"></span>`;
  }

  override render() {
    if (this.error) return html`<div class="card"><h2><span class="dot bad"></span>Server unreachable</h2><p class="error">${this.error}</p></div>`;
    const h = this.health;
    if (!h) return html`<div class="card"><h2>Loading…</h2></div>`;
    return html`<div class="card" data-status=${h.status}>
      <h2><span class="dot ${h.status === 'ok' ? 'ok' : 'warn'}"></span>System ${h.status === 'ok' ? 'healthy' : 'degraded'}</h2>
      <dl>
        <dt>Version</dt><dd>${h.version}</dd>
        <dt>Uptime</dt><dd>${formatUptime(h.uptime_s)}</dd>
        <dt>MQTT broker</dt><dd data-field="broker">${this._dot(h.broker.state)} ${STATE_LABEL[h.broker.state]} (${h.broker.mode})${h.broker.error ? html` <span class="error">${h.broker.error}</span>` : nothing}</dd>
        <dt>Home Assistant</dt><dd data-field="ha">${this._dot(h.ha.state)} ${STATE_LABEL[h.ha.state]} (${h.ha.mode === 'demo' ? 'demo home' : h.ha.mode})${h.ha.version ? ` · ${h.ha.version}` : ''}</dd>
        <dt>LLM</dt><dd data-field="llm">${h.llm.provider === 'none' ? 'not configured' : `${h.llm.provider}${h.llm.model ? ` · ${h.llm.model}` : ''}`}</dd>
        <dt>Node.js</dt><dd>${h.node}</dd>
      </dl>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wactorz-health-card': WactorzHealthCard;
  }
}
