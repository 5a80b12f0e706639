// A proposal from the orchestrator: the agents it would create (for an edit of a running rule,
// what changes against the running version), what validation found, and Approve / Reject.
// Approving is refused while validation reports errors.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { decidePlan } from '../../data/plans.ts';
import type { Plan } from '../../data/types.ts';
import { errorText } from '../../format.ts';
import { ICON } from '../../icons.ts';
import '../shared/icon.ts';
import { baseStyles } from '../shared/styles.ts';
import './rule-diff.ts';

@customElement('wz-proposal-card')
export class WzProposalCard extends LitElement {
  @property({ attribute: false }) accessor plan: Plan | undefined = undefined;
  @state() private accessor _busy = false;
  @state() private accessor _error: string | undefined = undefined;

  static override styles = [
    baseStyles,
    css`
      .head { display: flex; align-items: center; gap: 12px; }
      .head > wz-icon { color: var(--primary-color); background: color-mix(in srgb, var(--primary-color) 15%, transparent); border-radius: 50%; padding: 8px; }
      ul { margin: 8px 0; padding-left: 20px; }
      li { margin: 4px 0; }
      .validation { margin: 8px 0; padding: 8px 12px; border-radius: 8px; background: color-mix(in srgb, var(--primary-text-color) 5%, transparent); }
      .verdict { display: inline-flex; align-items: center; gap: 6px; font-weight: 500; --wz-icon-size: 18px; }
      .ok { color: var(--success-color); }
      .bad { color: var(--error-color); }
      .warn { color: var(--warning-color); }
      .status { font-weight: 500; }
      a { color: var(--primary-color); }
      .changes { margin: 8px 0; }
      .changes h3 { margin: 0 0 4px; font-size: 0.9rem; font-weight: 500; }
    `,
  ];

  private async _decide(decision: 'approve' | 'reject'): Promise<void> {
    if (!this.plan) return;
    this._busy = true;
    this._error = undefined;
    try {
      this.plan = await decidePlan(this.plan.id, decision);
    } catch (err) {
      this._error = errorText(err);
    } finally {
      this._busy = false;
    }
  }

  override render() {
    const p = this.plan;
    if (!p) return nothing;
    const v = p.validation;
    return html`<div class="card" data-plan=${p.id} data-status=${p.status}>
      <div class="head"><wz-icon .path=${ICON.rules}></wz-icon><h2>${p.title}</h2><span class="spacer"></span><span class="chip status">${p.status}</span></div>
      <p class="muted">${p.summary}</p>
      <ul>
        ${p.agents.map(
          (a) => html`<li><strong>${a.name}</strong> <span class="chip">${a.type}</span><br /><span class="small">${a.description}</span>
              ${a.trigger ? html`<br /><span class="small muted">Trigger: ${a.trigger}</span>` : nothing}</li>`,
        )}
      </ul>
      ${p.edit_of
        ? html`<section class="changes" data-field="diff" aria-label="Changes">
            <h3>Changes to the running version (v${p.edit_of.version})</h3>
            <wz-rule-diff .changes=${p.diff ?? []}></wz-rule-diff>
          </section>`
        : nothing}
      <div class="validation small" data-validation=${v.ok ? 'ok' : 'failed'}>
        ${v.ok
          ? html`<span class="ok verdict"><wz-icon .path=${ICON.ok}></wz-icon>Validation passed</span>`
          : html`<span class="bad verdict"><wz-icon .path=${ICON.error}></wz-icon>Validation failed</span>`}
        ${v.errors.map((e) => html`<div class="bad">• ${e}</div>`)} ${v.warnings.map((w) => html`<div class="warn">• ${w}</div>`)}
      </div>
      ${p.status === 'pending'
        ? html`<div class="card-actions">
            <span class="spacer"></span>
            <button data-action="reject" ?disabled=${this._busy} @click=${() => this._decide('reject')}><wz-icon .path=${ICON.reject}></wz-icon>Reject</button>
            <button class="primary" data-action="approve" ?disabled=${this._busy || !v.ok} @click=${() => this._decide('approve')}><wz-icon .path=${ICON.approve}></wz-icon>Approve</button>
          </div>`
        : p.status === 'approved'
          ? html`<div class="ok small">Approved${p.rule_id ? html` — rule <a href="#/rules">${p.rule_id}</a> created` : nothing}</div>`
          : html`<div class="muted small">${p.status}${p.reason ? `: ${p.reason}` : ''}</div>`}
      ${this._error ? html`<div class="error small">${this._error}</div>` : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wz-proposal-card': WzProposalCard;
  }
}
