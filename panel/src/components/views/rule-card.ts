// One rule in the Rules view: a status light, its agents, created and last-fired times, what its
// agents' LLM calls cost, its backtest, enable/disable and delete (confirmed), the timeline of its
// recent evaluations and its versions.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { deleteRule, setRuleEnabled } from '../../data/rules.ts';
import type { Rule } from '../../data/types.ts';
import { dateTime, errorText, relative, usd } from '../../format.ts';
import { confirmAction } from '../shared/confirm-dialog.ts';
import { baseStyles } from '../shared/styles.ts';
import './rule-timeline.ts';
import './rule-versions.ts';

const STATUS_DOT: Record<Rule['status'], string> = { active: 'ok', disabled: '', degraded: 'warn', failed: 'bad' };

/** The rule's spend, when this server reports it per rule (older servers do not: no row then). */
function costOf(r: Rule): { total: number; today: number } | undefined {
  const c = r as Partial<Record<'cost_usd' | 'cost_today_usd', unknown>>;
  return typeof c.cost_usd === 'number' ? { total: c.cost_usd, today: typeof c.cost_today_usd === 'number' ? c.cost_today_usd : 0 } : undefined;
}

@customElement('wz-rule-card')
export class WzRuleCard extends LitElement {
  @property({ attribute: false }) accessor rule: Rule | undefined = undefined;
  @property({ attribute: false }) accessor now = Date.now();
  @state() private accessor _busy = false;
  @state() private accessor _error: string | undefined = undefined;

  static override styles = [
    baseStyles,
    css`
      .backtest { margin-top: 8px; padding: 8px; border-radius: 6px; background: color-mix(in srgb, var(--primary-text-color) 5%, transparent); }
      .agents { margin: 6px 0; }
      .actions { margin-top: 8px; }
    `,
  ];

  private async _do(fn: () => Promise<unknown>): Promise<void> {
    this._busy = true;
    this._error = undefined;
    try {
      await fn();
    } catch (err) {
      this._error = errorText(err);
    } finally {
      this._busy = false;
    }
  }

  private async _delete(r: Rule): Promise<void> {
    if (await confirmAction(`Delete rule "${r.name}" and stop its agents?`, 'Delete')) await this._do(() => deleteRule(r.id));
  }

  override render() {
    const r = this.rule;
    if (!r) return nothing;
    const cost = costOf(r);
    return html`<div class="card" data-rule=${r.id} data-status=${r.status}>
      <div class="row">
        <span class="dot ${STATUS_DOT[r.status]}" aria-hidden="true"></span>
        <h2>${r.name}</h2>
        <span class="spacer"></span>
        <span class="chip">${r.status}</span>
      </div>
      <div class="small muted">${r.description}</div>
      <div class="row agents small">
        ${r.agents.map((a) => html`<span class="chip" title=${a.state}><span class="dot state-${a.state}"></span>${a.name}</span>`)}
      </div>
      <dl class="small">
        <dt>Created</dt><dd>${dateTime(r.created_at)}</dd>
        <dt>Last fired</dt><dd>${relative(r.last_fired_at, this.now)}${r.fire_count ? ` · ${r.fire_count} time${r.fire_count === 1 ? '' : 's'}` : ''}</dd>
        ${cost
          ? html`<dt>LLM cost</dt><dd data-field="cost">${usd(cost.total)} <span class="muted">· ${usd(cost.today)} today</span></dd>`
          : nothing}
      </dl>
      ${r.error ? html`<div class="error small">${r.error}</div>` : nothing}
      ${r.backtest ? html`<div class="backtest small" data-field="backtest">${r.backtest.summary}</div>` : nothing}
      <div class="row actions">
        <button data-action=${r.enabled ? 'disable' : 'enable'} ?disabled=${this._busy} @click=${() => this._do(() => setRuleEnabled(r.id, !r.enabled))}>${r.enabled ? 'Disable' : 'Enable'}</button>
        <button class="danger" data-action="delete" ?disabled=${this._busy} @click=${() => this._delete(r)}>Delete</button>
      </div>
      ${this._error ? html`<div class="error small" role="alert">${this._error}</div>` : nothing}
      <wz-rule-timeline .rule=${r} .now=${this.now}></wz-rule-timeline>
      <wz-rule-versions .rule=${r}></wz-rule-versions>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wz-rule-card': WzRuleCard;
  }
}
