// A spawned agent's grants on its card: each with Revoke, and "Allow a sensitive device…", which
// asks which one (a domain or an entity), lets the server say whether that is a grant and what it
// lets the code do, shows exactly that in the panel's confirmation, and only then grants it with
// confirm: true. Refusals stay inline, in the server's words.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { fetchGrants, grantConfirmed, grantFor, previewGrant, revokeGrant } from '../../data/grants.ts';
import { errorText } from '../../format.ts';
import { confirmAction } from '../shared/confirm-dialog.ts';
import { LatestRequest } from '../shared/latest-request.ts';
import { baseStyles } from '../shared/styles.ts';

@customElement('wz-agent-grants')
export class WzAgentGrants extends LitElement {
  @property() accessor agent = '';
  @state() private accessor _grants: string[] | undefined = undefined;
  @state() private accessor _asking = false;
  @state() private accessor _input = '';
  @state() private accessor _busy = false;
  @state() private accessor _error: string | undefined = undefined;
  private readonly _loading = new LatestRequest(this);

  static override styles = [
    baseStyles,
    css`
      .grants { display: flex; flex-direction: column; gap: 6px; margin-top: 8px; }
      .grant { gap: 8px; }
      .grant code { overflow-wrap: anywhere; }
      form { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
      input { font: inherit; padding: 6px 10px; border-radius: 6px; border: 1px solid var(--divider-color); background: var(--card-background-color); color: var(--primary-text-color); min-width: 0; flex: 1 1 180px; }
      input[aria-invalid='true'] { border-color: var(--error-color); }
      input:focus-visible { outline: 2px solid var(--primary-color); outline-offset: 1px; }
    `,
  ];

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('agent') && this.agent) void this._load();
  }

  private async _load(): Promise<void> {
    const signal = this._loading.next();
    try {
      this._grants = (await fetchGrants(this.agent, signal)).grants;
    } catch (err) {
      if (!signal.aborted) this._error = errorText(err);
    }
  }

  private async _allow(e: Event): Promise<void> {
    e.preventDefault();
    if (this._busy) return;
    this._busy = true;
    this._error = undefined;
    try {
      const preview = await previewGrant(this.agent, grantFor(this._input));
      if (preview.granted) {
        this._error = `"${this.agent}" already has ${preview.grant}.`;
        return;
      }
      const ok = await confirmAction(`Let the code of "${this.agent}" ${preview.effect}, without asking you each time? (${preview.grant})`, 'Allow');
      if (!ok) return;
      this._grants = (await grantConfirmed(this.agent, preview.grant)).grants;
      this._asking = false;
      this._input = '';
    } catch (err) {
      this._error = errorText(err);
    } finally {
      this._busy = false;
    }
  }

  private async _revoke(grant: string): Promise<void> {
    this._busy = true;
    this._error = undefined;
    try {
      this._grants = (await revokeGrant(this.agent, grant)).grants;
    } catch (err) {
      this._error = errorText(err);
    } finally {
      this._busy = false;
    }
  }

  private _openForm(): void {
    this._asking = true;
    this._error = undefined;
    void this.updateComplete.then(() => this.renderRoot.querySelector('input')?.focus());
  }

  override render() {
    const grants = this._grants;
    if (!grants) return this._error ? html`<div class="error small" role="alert" data-field="grants-error">${this._error}</div>` : nothing;
    return html`<div class="grants small" data-grants=${this.agent}>
      <div class="muted">Grants</div>
      ${grants.length === 0 ? html`<div class="muted" data-field="no-grants">None: its code cannot operate locks, alarm panels or garage doors.</div>` : nothing}
      ${grants.map(
        (g) => html`<div class="row grant" data-grant=${g}>
          <code>${g}</code><span class="spacer"></span>
          <button data-action="revoke" ?disabled=${this._busy} @click=${() => this._revoke(g)}>Revoke</button>
        </div>`,
      )}
      ${this._asking
        ? html`<form data-form="grant" @submit=${(e: Event) => this._allow(e)} novalidate>
            <label class="muted" for="grant-input">Which device?</label>
            <input id="grant-input" type="text" autocomplete="off" spellcheck="false" placeholder="lock.front_door or lock" aria-invalid=${this._error ? 'true' : 'false'}
              .value=${this._input} @input=${(e: Event) => (this._input = (e.target as HTMLInputElement).value)} />
            <button class="primary" type="submit" data-action="grant-next" ?disabled=${this._busy || !this._input.trim()}>Continue</button>
            <button type="button" data-action="grant-cancel" ?disabled=${this._busy} @click=${() => ((this._asking = false), (this._error = undefined))}>Cancel</button>
          </form>`
        : html`<div class="row"><button data-action="allow-sensitive" ?disabled=${this._busy} @click=${() => this._openForm()}>Allow a sensitive device…</button></div>`}
      ${this._error ? html`<div class="error" role="alert" data-field="grants-error">${this._error}</div>` : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wz-agent-grants': WzAgentGrants;
  }
}
