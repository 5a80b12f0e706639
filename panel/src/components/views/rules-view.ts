// The Rules tab: each rule with a status light per agent, created and last-fired times,
// enable/disable, delete (confirmed) and its backtest result.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { deleteRule, rulesCollection, setRuleEnabled } from '../../data/rules.ts';
import type { Rule } from '../../data/types.ts';
import { dateTime, errorText, relative } from '../../format.ts';
import { CollectionController } from '../shared/collection-controller.ts';
import { confirmAction } from '../shared/confirm-dialog.ts';
import { baseStyles } from '../shared/styles.ts';

const STATUS_DOT: Record<Rule['status'], string> = { active: 'ok', disabled: '', degraded: 'warn', failed: 'bad' };

@customElement('wz-rules-view')
export class WzRulesView extends LitElement {
  @state() private accessor _error: string | undefined = undefined;
  private readonly _rules = new CollectionController(this, rulesCollection);

  static override styles = [
    baseStyles,
    css`
      .list { display: grid; gap: 12px; }
      .backtest { margin-top: 8px; padding: 8px; border-radius: 6px; background: color-mix(in srgb, var(--primary-text-color) 5%, transparent); }
      .agents { margin: 6px 0; }
    `,
  ];

  private async _do(fn: () => Promise<unknown>): Promise<void> {
    this._error = undefined;
    try {
      await fn();
    } catch (err) {
      this._error = errorText(err);
    }
  }

  private async _delete(r: Rule): Promise<void> {
    if (await confirmAction(`Delete rule "${r.name}" and stop its agents?`, 'Delete')) await this._do(() => deleteRule(r.id));
  }

  private _rule(r: Rule) {
    const now = Date.now();
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
        <dt>Last fired</dt><dd>${relative(r.last_fired_at, now)}${r.fire_count ? ` · ${r.fire_count} times` : ''}</dd>
      </dl>
      ${r.error ? html`<div class="error small">${r.error}</div>` : nothing}
      ${r.backtest ? html`<div class="backtest small" data-field="backtest">${r.backtest.summary}</div>` : nothing}
      <div class="row" style="margin-top:8px">
        <button data-action=${r.enabled ? 'disable' : 'enable'} @click=${() => this._do(() => setRuleEnabled(r.id, !r.enabled))}>${r.enabled ? 'Disable' : 'Enable'}</button>
        <button class="danger" data-action="delete" @click=${() => this._delete(r)}>Delete</button>
      </div>
    </div>`;
  }

  override render() {
    const { data, error } = this._rules.state;
    if (error && !data) return html`<div class="card error">${error}</div>`;
    if (!data) return html`<div class="empty">Loading rules…</div>`;
    return html`${this._error ? html`<div class="card error">${this._error}</div>` : nothing}
      ${data.length === 0 ? html`<div class="empty">No rules yet. Describe one in Chat and approve the proposal.</div>` : html`<div class="list">${data.map((r) => this._rule(r))}</div>`}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wz-rules-view': WzRulesView;
  }
}
