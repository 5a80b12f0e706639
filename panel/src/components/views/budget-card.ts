// The budget: each limit with a bar of how much is spent, and a form to change the limits
// (an empty field removes a limit).
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { updateBudget } from '../../data/cost.ts';
import type { Budget, BudgetUpdate } from '../../data/types.ts';
import { errorText, usd } from '../../format.ts';
import { baseStyles } from '../shared/styles.ts';

const LIMITS = [
  ['daily_usd', 'day', 'Daily'],
  ['weekly_usd', 'week', 'Weekly'],
  ['monthly_usd', 'month', 'Monthly'],
] as const;

@customElement('wz-budget-card')
export class WzBudgetCard extends LitElement {
  @property({ attribute: false }) accessor budget: Budget | undefined = undefined;
  @property({ attribute: false }) accessor error: string | undefined = undefined;
  @state() private accessor _editing = false;
  @state() private accessor _saveError: string | undefined = undefined;

  static override styles = [
    baseStyles,
    css`
      .limit { margin: 10px 0; }
      .bar { height: 8px; border-radius: 4px; background: color-mix(in srgb, var(--primary-text-color) 10%, transparent); overflow: hidden; }
      .fill { height: 100%; background: var(--primary-color); }
      .fill.high { background: var(--warning-color); }
      .fill.over { background: var(--error-color); }
      /* Amounts are a few digits: the inputs keep that width instead of stretching across the card. */
      form { display: grid; gap: 8px; grid-template-columns: max-content minmax(0, 12rem); align-items: center; justify-content: start; margin-top: 8px; }
      input { font: inherit; padding: 4px 8px; border-radius: 6px; border: 1px solid var(--divider-color); background: var(--card-background-color); color: var(--primary-text-color); min-width: 0; }
    `,
  ];

  private async _save(e: Event): Promise<void> {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const patch: BudgetUpdate = {};
    for (const [field] of LIMITS) {
      const value = form.get(field);
      const raw = typeof value === 'string' ? value.trim() : '';
      patch[field] = raw === '' ? null : Number(raw);
    }
    try {
      await updateBudget(patch);
      this._editing = false;
      this._saveError = undefined;
    } catch (err) {
      this._saveError = errorText(err);
    }
  }

  override render() {
    const b = this.budget;
    if (!b) return html`<div class="card">${this.error ? html`<span class="error">${this.error}</span>` : 'Loading budget…'}</div>`;
    return html`<div class="card" data-budget data-exhausted=${b.exhausted}>
      <div class="row"><h2>Budget</h2><span class="spacer"></span>
        ${b.exhausted ? html`<span class="chip error">limit reached${b.fallback ? ` · using ${b.fallback}` : ''}</span>` : nothing}
        <button @click=${() => (this._editing = !this._editing)}>${this._editing ? 'Cancel' : 'Edit'}</button></div>
      ${LIMITS.map(([field, period, label]) => {
        const limit = b[field];
        const spent = b.spent[period];
        const pct = limit ? Math.min(100, (spent / limit) * 100) : 0;
        return html`<div class="limit" data-limit=${period}>
          <div class="row small"><span>${label}</span><span class="spacer"></span><span>${usd(spent)} / ${limit === null ? 'no limit' : usd(limit)}</span></div>
          ${limit === null ? nothing : html`<div class="bar"><div class="fill ${pct >= 100 ? 'over' : pct >= 80 ? 'high' : ''}" style="width:${pct}%"></div></div>`}
        </div>`;
      })}
      ${this._editing
        ? html`<form @submit=${(e: Event) => this._save(e)}>
            ${LIMITS.map(([field, , label]) => html`<label for=${field}>${label} (USD)</label><input id=${field} name=${field} type="number" min="0" step="0.01" .value=${b[field]?.toString() ?? ''} />`)}
            <span></span><button class="primary" type="submit">Save</button>
          </form>`
        : nothing}
      ${this._saveError ? html`<div class="error small">${this._saveError}</div>` : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wz-budget-card': WzBudgetCard;
  }
}
