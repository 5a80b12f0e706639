// The Nodes tab: the main process and every edge runner, online or not, with their agents and
// what brings each runner back after a reboot (its supervision, with a tooltip saying so).
import { LitElement, css, html, nothing } from 'lit';
import { customElement } from 'lit/decorators.js';
import { supervisionLabel } from '../../data/node-supervision.ts';
import { nodesCollection } from '../../data/nodes.ts';
import { relative } from '../../format.ts';
import { CollectionController } from '../shared/collection-controller.ts';
import { baseStyles } from '../shared/styles.ts';

@customElement('wz-nodes-view')
export class WzNodesView extends LitElement {
  private readonly _nodes = new CollectionController(this, nodesCollection);

  static override styles = [baseStyles, css`.chip.unsupervised { background: color-mix(in srgb, var(--warning-color) 18%, transparent); }`];

  override render() {
    const { data, error } = this._nodes.state;
    if (error && !data) return html`<div class="card error">${error}</div>`;
    if (!data) return html`<div class="empty">Loading nodes…</div>`;
    const now = Date.now();
    return html`<div class="grid">
      ${data.map((n) => {
        const sup = supervisionLabel(n);
        return html`<div class="card" data-node=${n.name} data-online=${n.online}>
          <div class="row">
            <span class="dot ${n.online ? 'ok' : 'bad'}" aria-hidden="true"></span>
            <h2>${n.name}</h2>
            <span class="spacer"></span>
            ${sup
              ? html`<span class="chip ${sup.survivesReboot ? '' : 'unsupervised'}" data-field="supervision" data-reboot=${sup.survivesReboot} title=${sup.tooltip} aria-label=${`${sup.text}: ${sup.tooltip}`}>${sup.text}</span>`
              : nothing}
            <span class="chip">${n.online ? 'online' : 'offline'}</span>
          </div>
          <dl class="small">
            <dt>Host</dt><dd>${n.host ?? '—'}</dd>
            <dt>Version</dt><dd>${n.version ?? '—'}</dd>
            <dt>Last seen</dt><dd>${relative(n.last_seen, now)}</dd>
            ${n.undeployed_at ? html`<dt>Removed</dt><dd data-field="removed" title=${n.undeployed_at}>${relative(n.undeployed_at, now)}</dd>` : nothing}
          </dl>
          <div class="row small">${n.agents.length ? n.agents.map((a) => html`<span class="chip">${a}</span>`) : html`<span class="muted">No agents</span>`}</div>
        </div>`;
      })}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wz-nodes-view': WzNodesView;
  }
}
