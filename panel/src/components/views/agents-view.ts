// The Agents tab: every agent as a card, live, and "New agent from a recipe". A one-second tick
// keeps heartbeat ages current.
import { LitElement, css, html } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { agentsCollection } from '../../data/agents.ts';
import { ICON } from '../../icons.ts';
import { CollectionController } from '../shared/collection-controller.ts';
import { baseStyles } from '../shared/styles.ts';
import '../shared/icon.ts';
import './agent-card.ts';
import './recipe-dialog.ts';
import type { WzRecipeDialog } from './recipe-dialog.ts';

@customElement('wz-agents-view')
export class WzAgentsView extends LitElement {
  @state() private accessor _now = Date.now();
  private readonly _agents = new CollectionController(this, agentsCollection);
  private _tick: ReturnType<typeof setInterval> | undefined;

  @query('wz-recipe-dialog') private accessor _dialog!: WzRecipeDialog;

  static override styles = [baseStyles, css`.toolbar { margin-bottom: 16px; }`];

  override connectedCallback(): void {
    super.connectedCallback();
    this._tick = setInterval(() => (this._now = Date.now()), 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this._tick);
  }

  override render() {
    const { data, error } = this._agents.state;
    if (error && !data) return html`<div class="card error">${error}</div>`;
    if (!data) return html`<div class="empty">Loading agents…</div>`;
    const toolbar = html`<div class="row toolbar">
        <span class="spacer"></span>
        <button data-action="new-from-recipe" aria-haspopup="dialog" @click=${(e: Event) => this._dialog.show(e.currentTarget as HTMLElement)}><wz-icon .path=${ICON.add}></wz-icon>New agent from a recipe</button>
      </div>
      <wz-recipe-dialog></wz-recipe-dialog>`;
    if (data.length === 0) return html`${toolbar}<div class="empty">No agents yet. Ask in Chat to spawn one, or start one from a recipe.</div>`;
    return html`${toolbar}<div class="grid">${data.map((a) => html`<wz-agent-card .agent=${a} .now=${this._now}></wz-agent-card>`)}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wz-agents-view': WzAgentsView;
  }
}
