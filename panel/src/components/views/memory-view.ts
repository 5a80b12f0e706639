// The Memory tab: what the system remembers, where each fact came from, and Forget (one fact or
// all of them). The header sums it up and a search box narrows a long list.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { clearMemory, forgetFact, memoryCollection } from '../../data/memory.ts';
import { categoryLabel, filterFacts, summarizeMemory, summaryLine } from '../../data/memory-summary.ts';
import type { MemoryFact } from '../../data/types.ts';
import { ICON } from '../../icons.ts';
import { dateTime, errorText, relative } from '../../format.ts';
import { CollectionController } from '../shared/collection-controller.ts';
import { confirmAction } from '../shared/confirm-dialog.ts';
import { baseStyles } from '../shared/styles.ts';
import '../shared/icon.ts';

@customElement('wz-memory-view')
export class WzMemoryView extends LitElement {
  @state() private accessor _error: string | undefined = undefined;
  @state() private accessor _query = '';
  @state() private accessor _busy = false;
  private readonly _memory = new CollectionController(this, memoryCollection);

  static override styles = [
    baseStyles,
    css`
      .summary { margin-bottom: 16px; }
      .summary h2 { margin-bottom: 4px; }
      .categories { margin: 8px 0 4px; }
      .categories button.chip { min-height: 28px; border: 1px solid transparent; color: var(--primary-text-color); padding: 2px 10px; }
      .categories button.chip[aria-pressed='true'] { border-color: var(--primary-color); }
      .search { display: flex; gap: 8px; align-items: center; margin-top: 12px; }
      .search input { flex: 1; min-width: 0; font: inherit; padding: 8px 12px; border-radius: 8px; border: 1px solid var(--divider-color); background: var(--card-background-color); color: var(--primary-text-color); }
      .search input:focus-visible { outline: 2px solid var(--primary-color); outline-offset: 1px; }
      .fact { display: grid; grid-template-columns: 1fr auto; gap: 4px 12px; padding: 10px 0; border-bottom: 1px solid var(--divider-color); }
      .fact:last-child { border-bottom: none; }
      .key { font-weight: 500; overflow-wrap: anywhere; }
      .value { overflow-wrap: anywhere; }
      .fact button { grid-row: 1 / span 3; grid-column: 2; align-self: center; }
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

  private async _forgetAll(count: number): Promise<void> {
    const what = count === 1 ? 'the one fact' : `all ${count} facts`;
    if (!(await confirmAction(`Forget ${what} Wactorz remembers? This cannot be undone.`, 'Forget all'))) return;
    this._busy = true;
    this._error = undefined;
    try {
      await clearMemory();
      this._query = '';
    } catch (err) {
      this._error = errorText(err);
    } finally {
      this._busy = false;
    }
  }

  override render() {
    const { data, error } = this._memory.state;
    if (error && !data) return html`<div class="card error">${error}</div>`;
    if (!data) return html`<div class="empty">Loading memory…</div>`;
    const now = Date.now();
    const summary = summarizeMemory(data);
    const shown = filterFacts(data, this._query);
    return html`<section class="card summary" aria-labelledby="memory-title" data-field="summary">
        <h2 id="memory-title">What Wactorz knows</h2>
        <div data-field="counts">${summaryLine(summary)}</div>
        ${summary.byCategory.length
          ? html`<div class="row categories" data-field="categories" aria-label="Facts by category">
              ${summary.byCategory.map((c) => html`<button class="chip" data-category=${c.category} aria-pressed=${this._query === categoryLabel(c.category) ? 'true' : 'false'} title="Show these facts" @click=${() => (this._query = this._query === categoryLabel(c.category) ? '' : categoryLabel(c.category))}>${categoryLabel(c.category)} · ${c.count}</button>`)}
            </div>`
          : nothing}
        ${summary.latest
          ? html`<div class="small muted" data-field="latest" title=${dateTime(summary.latest.updated_at)}>Last learnt ${relative(summary.latest.updated_at, now)}: ${summary.latest.key}</div>`
          : nothing}
        ${data.length > 0
          ? html`<div class="search">
              <input type="search" aria-label="Search facts" placeholder="Search facts" .value=${this._query} @input=${(e: Event) => (this._query = (e.target as HTMLInputElement).value)} />
              <button class="danger" data-action="forget-all" ?disabled=${this._busy} @click=${() => this._forgetAll(data.length)}><wz-icon .path=${ICON.delete}></wz-icon>Forget all</button>
            </div>`
          : nothing}
      </section>
      <div class="card">
        ${this._error ? html`<div class="error" role="alert">${this._error}</div>` : nothing}
        ${data.length === 0 ? html`<div class="empty">Nothing remembered yet.</div>` : nothing}
        ${data.length > 0 && shown.length === 0 ? html`<div class="empty" data-field="no-match">No fact matches "${this._query}".</div>` : nothing}
        ${shown.map(
          (f) => html`<div class="fact" data-key=${f.key}>
            <div class="key">${f.key}</div>
            <div class="value">${f.value}</div>
            <div class="small muted">from ${f.source} · updated ${relative(f.updated_at, now)}</div>
            <button class="danger" data-action="forget" aria-label=${`Forget ${f.key}`} @click=${() => this._forget(f)}>Forget</button>
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
