// A Material Design Icon, as Home Assistant draws them: the path string from @mdi/js in a 24×24
// SVG, filled with the current text colour. HA's own <ha-icon> lives in HA's page, not in the
// ingress iframe, so the panel draws its icons itself. Decorative by default (the text beside
// it is the label); give it a `label` when the icon stands alone.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';

@customElement('wz-icon')
export class WzIcon extends LitElement {
  @property() accessor path = '';
  @property() accessor label = '';

  static override styles = css`
    :host { display: inline-flex; flex: none; width: var(--wz-icon-size, 24px); height: var(--wz-icon-size, 24px); vertical-align: middle; }
    svg { width: 100%; height: 100%; display: block; fill: currentColor; }
  `;

  override render() {
    return html`<svg viewBox="0 0 24 24" role=${this.label ? 'img' : nothing} aria-label=${this.label || nothing} aria-hidden=${this.label ? nothing : 'true'} focusable="false">
      <path d=${this.path}></path>
    </svg>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wz-icon': WzIcon;
  }
}
