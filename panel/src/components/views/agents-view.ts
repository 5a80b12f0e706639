// The Agents tab: every agent as a card, live. A one-second tick keeps heartbeat ages current.
import { LitElement, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { agentsCollection } from '../../data/agents.ts';
import { CollectionController } from '../shared/collection-controller.ts';
import { baseStyles } from '../shared/styles.ts';
import './agent-card.ts';

@customElement('wz-agents-view')
export class WzAgentsView extends LitElement {
  @state() private accessor _now = Date.now();
  private readonly _agents = new CollectionController(this, agentsCollection);
  private _tick: ReturnType<typeof setInterval> | undefined;

  static override styles = baseStyles;

  override connectedCallback(): void {
    super.connectedCallback();
    this._tick = setInterval(() => (this._now = Date.now()), 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this._tick);
  }

  override render() {
    const { data, error } = this._agents.state;
    if (error && !data) return html`<div class="card error">${error}</div>`;
    if (!data) return html`<div class="empty">Loading agents…</div>`;
    if (data.length === 0) return html`<div class="empty">No agents yet. Ask in Chat to spawn one.</div>`;
    return html`<div class="grid">${data.map((a) => html`<wz-agent-card .agent=${a} .now=${this._now}></wz-agent-card>`)}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wz-agents-view': WzAgentsView;
  }
}
