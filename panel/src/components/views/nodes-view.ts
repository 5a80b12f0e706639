// The Nodes tab: the main process and every edge runner, online or not, with their agents.
import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { nodesCollection } from '../../data/nodes.ts';
import { relative } from '../../format.ts';
import { CollectionController } from '../shared/collection-controller.ts';
import { baseStyles } from '../shared/styles.ts';

@customElement('wz-nodes-view')
export class WzNodesView extends LitElement {
  private readonly _nodes = new CollectionController(this, nodesCollection);

  static override styles = baseStyles;

  override render() {
    const { data, error } = this._nodes.state;
    if (error && !data) return html`<div class="card error">${error}</div>`;
    if (!data) return html`<div class="empty">Loading nodes…</div>`;
    const now = Date.now();
    return html`<div class="grid">
      ${data.map(
        (n) => html`<div class="card" data-node=${n.name} data-online=${n.online}>
          <div class="row">
            <span class="dot ${n.online ? 'ok' : 'bad'}" aria-hidden="true"></span>
            <h2>${n.name}</h2>
            <span class="spacer"></span>
            <span class="chip">${n.online ? 'online' : 'offline'}</span>
          </div>
          <dl class="small">
            <dt>Host</dt><dd>${n.host ?? '—'}</dd>
            <dt>Version</dt><dd>${n.version ?? '—'}</dd>
            <dt>Last seen</dt><dd>${relative(n.last_seen, now)}</dd>
          </dl>
          <div class="row small">${n.agents.length ? n.agents.map((a) => html`<span class="chip">${a}</span>`) : html`<span class="muted">No agents</span>`}</div>
        </div>`,
      )}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wz-nodes-view': WzNodesView;
  }
}
