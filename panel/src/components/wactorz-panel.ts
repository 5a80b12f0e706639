// The panel's root element: a header with tabs (scrollable at the mobile app's narrow width), the
// current view chosen by the URL hash (relative, so it survives the ingress prefix), and a banner
// while the live connection is re-established.
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { live, type LiveStatus } from '../data/live.ts';
import { ICON } from '../icons.ts';
import './shared/icon.ts';
import './views/agents-view.ts';
import './views/chat-view.ts';
import './views/cost-view.ts';
import './views/health-view.ts';
import './views/memory-view.ts';
import './views/nodes-view.ts';
import './views/rules-view.ts';
import './views/topics-view.ts';

const TABS = [
  ['chat', 'Chat'],
  ['agents', 'Agents'],
  ['rules', 'Rules'],
  ['cost', 'Cost'],
  ['topics', 'Topics'],
  ['nodes', 'Nodes'],
  ['memory', 'Memory'],
  ['health', 'Health'],
] as const;
type Tab = (typeof TABS)[number][0];

function tabFromHash(): Tab {
  const name = location.hash.replace(/^#\/?/, '');
  return TABS.find(([id]) => id === name)?.[0] ?? 'chat';
}

@customElement('wactorz-panel')
export class WactorzPanel extends LitElement {
  @state() private accessor _tab: Tab = tabFromHash();
  @state() private accessor _live: LiveStatus = 'idle';
  private _offStatus: (() => void) | undefined;
  private readonly _onHash = () => (this._tab = tabFromHash());

  static override styles = css`
    :host { display: flex; flex-direction: column; min-height: 100vh; background: var(--primary-background-color); color: var(--primary-text-color); }
    header {
      position: sticky; top: 0; z-index: 2;
      background: var(--app-header-background-color, var(--primary-color));
      color: var(--app-header-text-color, var(--text-primary-color));
    }
    /* HA's toolbar: 56 px, the title in 20 px regular. */
    .title { height: 56px; display: flex; align-items: center; padding: 0 16px; font-size: 20px; font-weight: 400; }
    nav { display: flex; overflow-x: auto; scrollbar-width: none; padding: 0 8px; }
    nav::-webkit-scrollbar { display: none; }
    /* On a phone the tabs do not fit: the cut-off edge fades, and a chevron says there is more. */
    .tabs { position: relative; }
    nav[data-more~='end'] { mask-image: linear-gradient(to right, #000 calc(100% - 56px), transparent); }
    nav[data-more~='start'] { mask-image: linear-gradient(to left, #000 calc(100% - 56px), transparent); }
    nav[data-more~='start'][data-more~='end'] { mask-image: linear-gradient(to right, transparent, #000 56px, #000 calc(100% - 56px), transparent); }
    .more {
      position: absolute; top: 0; bottom: 2px; width: 32px; display: none; align-items: center; justify-content: center;
      border: none; background: none; color: inherit; padding: 0; min-height: 0; cursor: pointer;
    }
    .more.end { right: 0; }
    .more.start { left: 0; }
    nav[data-more~='end'] ~ .more.end, nav[data-more~='start'] ~ .more.start { display: flex; }
    nav a {
      display: inline-flex; align-items: center; gap: 8px; height: 48px; box-sizing: border-box;
      color: inherit; text-decoration: none; padding: 0 16px; white-space: nowrap; opacity: 0.75;
      border-bottom: 2px solid transparent; font-size: 14px; font-weight: 500; --wz-icon-size: 20px;
    }
    nav a[aria-current='page'] { opacity: 1; border-bottom-color: currentColor; }
    .banner { background: var(--warning-color); color: #000; padding: 6px 16px; font-size: 0.9rem; }
    main { flex: 1; padding: 16px; width: 100%; max-width: 1200px; margin: 0 auto; box-sizing: border-box; }
    @media (max-width: 600px) { main { padding: 8px; } nav a { padding: 0 12px; } }
  `;

  /** Which ends of the tab strip have tabs out of sight: '', 'start', 'end' or 'start end'. */
  @state() private accessor _more = '';
  private readonly _onResize = () => this._measure();

  private _nav(): HTMLElement | null {
    return this.renderRoot.querySelector('nav');
  }

  private _measure(): void {
    const nav = this._nav();
    if (!nav) return;
    const ends = [nav.scrollLeft > 1 ? 'start' : '', nav.scrollLeft + nav.clientWidth < nav.scrollWidth - 1 ? 'end' : ''];
    this._more = ends.filter(Boolean).join(' ');
  }

  private _scrollTabs(direction: 1 | -1): void {
    const nav = this._nav();
    nav?.scrollBy({ left: direction * nav.clientWidth * 0.7, behavior: 'smooth' });
  }

  override updated(changed: Map<PropertyKey, unknown>): void {
    // The current tab is always in sight, even when chosen by a link to a far tab on a phone.
    if (changed.has('_tab')) this.renderRoot.querySelector('nav a[aria-current=page]')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    this._measure();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('resize', this._onResize);
    window.addEventListener('hashchange', this._onHash);
    this._offStatus = live.onStatus((s) => (this._live = s));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this._onHash);
    window.removeEventListener('resize', this._onResize);
    this._offStatus?.();
  }

  private _view() {
    switch (this._tab) {
      case 'chat':
        return html`<wz-chat-view></wz-chat-view>`;
      case 'agents':
        return html`<wz-agents-view></wz-agents-view>`;
      case 'rules':
        return html`<wz-rules-view></wz-rules-view>`;
      case 'cost':
        return html`<wz-cost-view></wz-cost-view>`;
      case 'topics':
        return html`<wz-topics-view></wz-topics-view>`;
      case 'nodes':
        return html`<wz-nodes-view></wz-nodes-view>`;
      case 'memory':
        return html`<wz-memory-view></wz-memory-view>`;
      case 'health':
        return html`<wz-health-view></wz-health-view>`;
    }
  }

  override render() {
    return html`<header>
        <div class="title">Wactorz</div>
        <div class="tabs">
          <nav aria-label="Views" data-more=${this._more} @scroll=${() => this._measure()}>
            ${TABS.map(([id, label]) => html`<a href="#/${id}" data-tab=${id} aria-current=${this._tab === id ? 'page' : 'false'}><wz-icon .path=${ICON[id]}></wz-icon>${label}</a>`)}
          </nav>
          <button class="more start" aria-label="Earlier tabs" tabindex="-1" @click=${() => this._scrollTabs(-1)}><wz-icon .path=${ICON.earlier}></wz-icon></button>
          <button class="more end" aria-label="More tabs" tabindex="-1" @click=${() => this._scrollTabs(1)}><wz-icon .path=${ICON.later}></wz-icon></button>
        </div>
      </header>
      ${this._live === 'reconnecting' ? html`<div class="banner" role="status" data-live="reconnecting">Connection lost — reconnecting…</div>` : ''}
      <main>${this._view()}</main>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wactorz-panel': WactorzPanel;
  }
}
