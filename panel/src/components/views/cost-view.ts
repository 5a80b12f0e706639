// The Cost tab: spend over time per provider and per agent for a period, what the prompt cache
// saved, and the budget with how much of each limit is used (editable).
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { budgetCollection, costCollection } from '../../data/cost.ts';
import type { CostPeriod, CostReport } from '../../data/types.ts';
import { usd } from '../../format.ts';
import { CollectionController } from '../shared/collection-controller.ts';
import { baseStyles } from '../shared/styles.ts';
import './budget-card.ts';
import './line-chart.ts';
import type { Series } from './line-chart.ts';
import { promptCacheLine } from './prompt-cache.ts';

/** Sums spend per bucket time for each key (provider or agent). */
export function seriesBy(report: CostReport, key: 'provider' | 'agent'): Series[] {
  const byKey = new Map<string, Map<number, number>>();
  for (const p of report.points) {
    const m = byKey.get(p[key]) ?? new Map<number, number>();
    const t = Date.parse(p.t);
    m.set(t, (m.get(t) ?? 0) + p.usd);
    byKey.set(p[key], m);
  }
  return [...byKey].map(([k, m]) => ({ key: k, points: [...m].map(([t, v]) => ({ t, v })) }));
}

@customElement('wz-cost-view')
export class WzCostView extends LitElement {
  @state() private accessor _period: CostPeriod = 'week';
  private readonly _report = new CollectionController(this, costCollection('week'));
  private readonly _budget = new CollectionController(this, budgetCollection);

  static override styles = [
    baseStyles,
    css`
      .stack { display: grid; gap: 12px; }
      .total { font-size: 1.6rem; font-weight: 500; }
      .cache { color: var(--secondary-text-color); }
      select { font: inherit; padding: 4px 8px; border-radius: 6px; background: var(--card-background-color); color: var(--primary-text-color); border: 1px solid var(--divider-color); }
      h3 { font-size: 0.95rem; font-weight: 500; margin: 12px 0 4px; }
    `,
  ];

  private _setPeriod(p: CostPeriod): void {
    this._period = p;
    this._report.use(costCollection(p));
  }

  private _cacheLine(report: CostReport) {
    const line = promptCacheLine(report.prompt_cache);
    return line ? html`<div class="cache" data-field="prompt-cache">${line}</div>` : nothing;
  }

  override render() {
    const { data: report, error } = this._report.state;
    return html`<div class="stack">
      <div class="card">
        <div class="row">
          <h2>Spend</h2><span class="spacer"></span>
          <select aria-label="Period" .value=${this._period} @change=${(e: Event) => this._setPeriod((e.target as HTMLSelectElement).value as CostPeriod)}>
            <option value="day">Today</option><option value="week">This week</option><option value="month">This month</option>
          </select>
        </div>
        ${error && !report ? html`<div class="error">${error}</div>` : nothing}
        ${report
          ? html`<div class="total" data-field="total">${usd(report.total_usd)}</div>
              ${this._cacheLine(report)}
              <h3>Per provider</h3>
              <wz-line-chart label="Spend per provider" .series=${seriesBy(report, 'provider')} .format=${usd}></wz-line-chart>
              <h3>Per agent</h3>
              <wz-line-chart label="Spend per agent" .series=${seriesBy(report, 'agent')} .format=${usd}></wz-line-chart>`
          : html`<div class="empty">Loading…</div>`}
      </div>
      <wz-budget-card .budget=${this._budget.data} .error=${this._budget.state.error}></wz-budget-card>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wz-cost-view': WzCostView;
  }
}
