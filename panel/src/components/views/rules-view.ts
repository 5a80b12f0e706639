// The Rules tab: every rule as a card (status, agents, cost, backtest, its recent evaluations and
// versions), live from rule.status events.
import { LitElement, css, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { rulesCollection } from '../../data/rules.ts';
import { CollectionController } from '../shared/collection-controller.ts';
import { baseStyles } from '../shared/styles.ts';
import './rule-card.ts';

@customElement('wz-rules-view')
export class WzRulesView extends LitElement {
  private readonly _rules = new CollectionController(this, rulesCollection);

  static override styles = [
    baseStyles,
    css`
      .list { display: grid; gap: 12px; }
    `,
  ];

  override render() {
    const { data, error } = this._rules.state;
    if (error && !data) return html`<div class="card error">${error}</div>`;
    if (!data) return html`<div class="empty">Loading rules…</div>`;
    if (data.length === 0) return html`<div class="empty">No rules yet. Describe one in Chat and approve the proposal.</div>`;
    const now = Date.now();
    // Keyed by id: a card (and its timeline's open trace) stays with its rule when another is deleted.
    return html`<div class="list">${repeat(data, (r) => r.id, (r) => html`<wz-rule-card .rule=${r} .now=${now}></wz-rule-card>`)}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wz-rules-view': WzRulesView;
  }
}
