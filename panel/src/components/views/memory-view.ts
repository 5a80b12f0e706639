// The Memory tab: what the system remembers, where each fact came from, and Forget.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { forgetFact, memoryCollection } from '../../data/memory.ts';
import type { MemoryFact } from '../../data/types.ts';
import { errorText, relative } from '../../format.ts';
import { CollectionController } from '../shared/collection-controller.ts';
import { confirmAction } from '../shared/confirm-dialog.ts';
import { baseStyles } from '../shared/styles.ts';

@customElement('wz-memory-view')
export class WzMemoryView extends LitElement {
  @state() private accessor _error: string | undefined = undefined;
  private readonly _memory = new CollectionController(this, memoryCollection);

  static override styles = [
    baseStyles,
    css`
      .fact { display: grid; grid-template-columns: 1fr auto; gap: 4px 12px; padding: 10px 0; border-bottom: 1px solid var(--divider-color); }
      .fact:last-child { border-bottom: none; }
      .key { font-weight: 500; overflow-wrap: anywhere; }
      .value { overflow-wrap: anywhere; }
      button { grid-row: 1 / span 3; grid-column: 2; align-self: center; }
    `,
  ];

  private async _forget(f: MemoryFact): Promise<void> {
    if (!(await confirmAction(`Forget "${f.key}"?`, 'Forget'))) return;
    try {
      await forgetFact(f.key);
    } catch (err) {
      this._error = errorText(err);
    }
  }

  override render() {
    const { data, error } = this._memory.state;
    if (error && !data) return html`<div class="card error">${error}</div>`;
    if (!data) return html`<div class="empty">Loading memory…</div>`;
    const now = Date.now();
    return html`<div class="card">
      ${this._error ? html`<div class="error">${this._error}</div>` : nothing}
      ${data.length === 0 ? html`<div class="empty">Nothing remembered yet.</div>` : nothing}
      ${data.map(
        (f) => html`<div class="fact" data-key=${f.key}>
          <div class="key">${f.key}</div>
          <div class="value">${f.value}</div>
          <div class="small muted">from ${f.source} · updated ${relative(f.updated_at, now)}</div>
          <button class="danger" data-action="forget" @click=${() => this._forget(f)}>Forget</button>
        </div>`,
      )}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wz-memory-view': WzMemoryView;
  }
}
