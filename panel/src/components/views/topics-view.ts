// The Topics tab: the wiring graph, then each topic with its declared contract and the schema
// observed on the wire (shown as JSON text, never as markup).
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { fetchTopics } from '../../data/topics.ts';
import type { TopicInfo } from '../../data/types.ts';
import { errorText, relative } from '../../format.ts';
import { baseStyles } from '../shared/styles.ts';

// The graph and its layout library (dagre, about 22 KB gzipped) load with the Topics tab, not
// with the panel: most visits never open it. <wz-wiring-graph> upgrades once its chunk arrives.
const loadGraph = () => import('./wiring-graph.ts');

@customElement('wz-topics-view')
export class WzTopicsView extends LitElement {
  @state() private accessor _topics: TopicInfo[] | undefined = undefined;
  @state() private accessor _error: string | undefined = undefined;

  static override styles = [
    baseStyles,
    css`
      .list { display: grid; gap: 12px; margin-top: 12px; }
      code { font-family: var(--code-font-family, ui-monospace, monospace); overflow-wrap: anywhere; }
      /* A topic breaks after a '/', never inside a segment ("weather-fetcher" would break at its hyphen). */
      .topic-id { overflow-wrap: normal; }
      .topic-id .seg { white-space: nowrap; }
      pre { margin: 6px 0 0; font-size: 0.8rem; overflow-x: auto; padding: 8px; border-radius: 6px; background: color-mix(in srgb, var(--primary-text-color) 6%, transparent); }
      details { margin-top: 6px; }
      summary { cursor: pointer; }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    void loadGraph();
    void this._load();
  }

  private async _load(): Promise<void> {
    try {
      this._topics = await fetchTopics();
      this._error = undefined;
    } catch (err) {
      this._error = errorText(err);
    }
  }

  private _schema(label: string, doc: Record<string, unknown> | null) {
    return html`<details ?open=${false}><summary class="small">${label}${doc ? '' : ': none'}</summary>${doc ? html`<pre>${JSON.stringify(doc, null, 2)}</pre>` : nothing}</details>`;
  }

  override render() {
    if (this._error) return html`<div class="card error">${this._error}</div>`;
    const topics = this._topics;
    if (!topics) return html`<div class="empty">Loading topics…</div>`;
    if (topics.length === 0) return html`<div class="empty">No topics observed yet.</div>`;
    const now = Date.now();
    return html`<div class="card"><div class="row"><h2>Wiring</h2><span class="spacer"></span><button @click=${() => this._load()}>Refresh</button></div>
        <wz-wiring-graph .topics=${topics}></wz-wiring-graph></div>
      <div class="list">
        ${topics.map(
          (t) => html`<div class="card" data-topic=${t.topic}>
            <code class="topic-id">${t.topic.split('/').map((part, i) => html`${i === 0 ? '' : html`/<wbr />`}<span class="seg">${part}</span>`)}</code>
            ${t.description ? html`<div class="small muted">${t.description}</div>` : nothing}
            <div class="small muted">${t.message_count} messages · last seen ${relative(t.last_seen, now)}</div>
            <div class="small">Publishers: ${t.publishers.join(', ') || '—'} · Subscribers: ${t.subscribers.join(', ') || '—'}</div>
            ${this._schema('Contract', t.contract)} ${this._schema('Observed schema', t.observed_schema)}
          </div>`,
        )}
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wz-topics-view': WzTopicsView;
  }
}
