// A rule change, shown the same way for a version in the Rules view and for an edit proposal in
// Chat: per agent, each field's old and new value (removed text marked −, added +, not by colour
// alone), and code or prompts as a folded line diff.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { PlanChange } from '../../data/types.ts';
import { baseStyles } from '../shared/styles.ts';
import { changeTitle, groupChanges, isMultiline, lineDiff } from './rule-diff-model.ts';

@customElement('wz-rule-diff')
export class WzRuleDiff extends LitElement {
  @property({ attribute: false }) accessor changes: readonly PlanChange[] = [];

  static override styles = [
    baseStyles,
    css`
      :host { --del: var(--error-color, #db4437); --add: var(--success-color, #43a047); }
      .group + .group { margin-top: 8px; }
      h4 { margin: 0 0 4px; font-size: 0.85rem; font-weight: 500; overflow-wrap: anywhere; }
      .change { display: grid; grid-template-columns: minmax(72px, max-content) minmax(0, 1fr); gap: 2px 10px; padding: 4px 0; border-top: 1px solid color-mix(in srgb, var(--divider-color) 60%, transparent); }
      .field { color: var(--secondary-text-color); font-size: 0.8rem; overflow-wrap: anywhere; }
      .values { display: grid; gap: 2px; min-width: 0; }
      .v, .code {
        font-family: var(--code-font-family, ui-monospace, SFMono-Regular, Menlo, monospace); font-size: 0.8rem;
        white-space: pre-wrap; overflow-wrap: anywhere; border-radius: 4px; padding: 2px 6px; margin: 0;
      }
      .v::before, .line::before { display: inline-block; width: 1.2em; font-weight: 700; }
      .del { background: color-mix(in srgb, var(--del) 13%, transparent); }
      .del::before { content: '−'; color: var(--del); }
      .add { background: color-mix(in srgb, var(--add) 13%, transparent); }
      .add::before { content: '+'; color: var(--add); }
      .same::before { content: ' '; }
      .code { padding: 4px 0; max-height: 320px; overflow: auto; background: color-mix(in srgb, var(--primary-text-color) 4%, transparent); }
      /* A wrapped line continues under its text, not under the − or +. */
      .line { display: block; padding: 0 6px 0 calc(6px + 1.2em); text-indent: -1.2em; }
      /* Words for screen readers where the eye reads − and +. */
      .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
      .fold { display: block; padding: 0 6px; color: var(--secondary-text-color); font-style: italic; }
      /* A phone has no room beside the values: the field name goes above them. */
      @media (max-width: 600px) { .change { grid-template-columns: minmax(0, 1fr); } }
    `,
  ];

  private _values(c: PlanChange) {
    if (isMultiline(c)) {
      return html`<pre class="code" data-field="line-diff">${lineDiff(c.before, c.after).map((l) =>
        l.op === 'fold'
          ? html`<span class="fold">… ${l.count} unchanged line${l.count === 1 ? '' : 's'}</span>`
          : html`<span class="line ${l.op === 'same' ? 'same' : l.op}"><span class="sr">${l.op === 'add' ? 'added: ' : l.op === 'del' ? 'removed: ' : ''}</span>${l.text}</span>`,
      )}</pre>`;
    }
    return html`${c.before !== null ? html`<div class="v del" data-side="before"><span class="sr">before: </span>${c.before}</div>` : nothing}
    ${c.after !== null ? html`<div class="v add" data-side="after"><span class="sr">after: </span>${c.after}</div>` : nothing}`;
  }

  override render() {
    if (this.changes.length === 0) return html`<div class="small muted">No change to the agents.</div>`;
    return html`${groupChanges(this.changes).map(
        (g) => html`<div class="group" data-agent=${g.agent ?? ''}>
          <h4>${g.agent ?? 'Rule'}</h4>
          ${g.changes.map(
            (c) => html`<div class="change" data-change=${c.change} data-diff-field=${c.field ?? ''}>
              <div class="field">${changeTitle(c)}${c.change === 'changed' ? nothing : html` <span class="chip">${c.change}</span>`}</div>
              <div class="values">${this._values(c)}</div>
            </div>`,
          )}
        </div>`,
      )}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wz-rule-diff': WzRuleDiff;
  }
}
