// An in-panel confirmation (the browser's confirm() is blocked or ugly inside HA's iframe and on
// the mobile app). `confirmAction()` resolves true only when the user presses the action button;
// Cancel, a click beside the dialog and Escape resolve false.
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { baseStyles } from './styles.ts';

@customElement('wz-confirm')
export class WzConfirm extends LitElement {
  @state() private accessor _text = '';
  @state() private accessor _action = '';
  private _resolve: ((ok: boolean) => void) | undefined;

  static override styles = [
    baseStyles,
    css`
      .backdrop { position: fixed; inset: 0; background: rgba(0, 0, 0, 0.45); display: flex; align-items: center; justify-content: center; z-index: 10; padding: 16px; }
      .card { max-width: 420px; width: 100%; }
      p { margin: 0 0 16px; }
      .row { justify-content: flex-end; }
    `,
  ];

  // Escape cancels, as in every dialog: listened for on the document, since focus may still be on
  // the button that opened the dialog (outside this element's shadow root).
  private readonly _onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && this._text) {
      e.preventDefault();
      this._answer(false);
    }
  };

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('keydown', this._onKey);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('keydown', this._onKey);
  }

  ask(text: string, action: string): Promise<boolean> {
    this._resolve?.(false);
    this._text = text;
    this._action = action;
    // Focus the safe choice once shown, so Enter does not confirm by accident.
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('[data-cancel]')?.focus());
    return new Promise((resolve) => (this._resolve = resolve));
  }

  private _answer(ok: boolean): void {
    this._resolve?.(ok);
    this._resolve = undefined;
    this._text = '';
  }

  override render() {
    if (!this._text) return html``;
    return html`<div class="backdrop" @click=${(e: Event) => e.target === e.currentTarget && this._answer(false)}>
      <div class="card" role="alertdialog" aria-modal="true" aria-label="Confirm">
        <p>${this._text}</p>
        <div class="row">
          <button data-cancel @click=${() => this._answer(false)}>Cancel</button>
          <button class="primary danger-action" data-confirm @click=${() => this._answer(true)}>${this._action}</button>
        </div>
      </div>
    </div>`;
  }
}

let dialog: WzConfirm | undefined;

export function confirmAction(text: string, action: string): Promise<boolean> {
  if (!dialog) {
    dialog = document.createElement('wz-confirm');
    document.body.append(dialog);
  }
  return dialog.ask(text, action);
}

declare global {
  interface HTMLElementTagNameMap {
    'wz-confirm': WzConfirm;
  }
}
