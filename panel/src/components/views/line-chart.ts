// A multi-series line chart (spend over time) drawn by ECharts, the chart library of Home
// Assistant's own frontend, loaded on first use. Colours come from HA's theme and follow it when
// it changes (light/dark, or a new theme copied from HA's page); the chart resizes with its box;
// screen readers hear a summary of the numbers instead of the picture.
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ECharts } from 'echarts/core';
import { chartSummary, lineChartOption, readTheme, type Series } from './chart-option.ts';

export type { Series } from './chart-option.ts';

const loadECharts = () => import('./echarts-setup.ts');

@customElement('wz-line-chart')
export class WzLineChart extends LitElement {
  @property({ attribute: false }) accessor series: Series[] = [];
  @property({ attribute: false }) accessor format: (v: number) => string = (v) => v.toFixed(2);
  @property() accessor label = '';
  @state() private accessor _error: string | undefined = undefined;
  private _chart: ECharts | undefined;
  private _loading: Promise<void> | undefined;
  private _resize: ResizeObserver | undefined;
  private _themeWatch: MutationObserver | undefined;
  private readonly _dark = window.matchMedia('(prefers-color-scheme: dark)');
  private readonly _onTheme = () => this.requestUpdate();

  static override styles = css`
    :host { display: block; }
    .chart { width: 100%; height: 240px; }
    .legend { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 0.875rem; margin-top: 8px; }
    .legend span { display: inline-flex; align-items: center; gap: 6px; }
    .swatch { width: 12px; height: 12px; border-radius: 3px; flex: none; }
    .empty { color: var(--secondary-text-color); font-size: 0.875rem; padding: 8px 0; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    // theme.ts rewrites <html>'s style and class when HA's theme changes; opened on its own the
    // panel follows the system's colour scheme.
    this._themeWatch = new MutationObserver(this._onTheme);
    this._themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
    this._dark.addEventListener('change', this._onTheme);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._themeWatch?.disconnect();
    this._dark.removeEventListener('change', this._onTheme);
    this._resize?.disconnect();
    this._resize = undefined;
    this._chart?.dispose();
    this._chart = undefined;
  }

  override updated(): void {
    this._draw();
  }

  private _draw(): void {
    const box = this.renderRoot.querySelector<HTMLElement>('.chart');
    if (!box) {
      // No data: nothing to draw, and a chart for data no longer shown goes.
      this._chart?.dispose();
      this._chart = undefined;
      return;
    }
    if (this._chart && this._chart.getDom() === box) {
      this._chart.setOption(lineChartOption(this.series, readTheme(getComputedStyle(this)), this.format), { notMerge: true });
      box.dataset['rendered'] = 'true';
      return;
    }
    this._loading ??= loadECharts()
      .then(({ init }) => {
        this._loading = undefined;
        const current = this.renderRoot.querySelector<HTMLElement>('.chart');
        if (!current || !this.isConnected) return;
        this._chart?.dispose();
        this._chart = init(current, undefined, { renderer: 'svg' });
        this._resize?.disconnect();
        this._resize = new ResizeObserver(() => this._chart?.resize());
        this._resize.observe(current);
        this._draw();
      })
      .catch((err: unknown) => {
        this._loading = undefined;
        this._error = err instanceof Error ? err.message : String(err);
      });
  }

  override render() {
    if (this._error) return html`<div class="empty" role="alert">The chart could not load: ${this._error}</div>`;
    if (this.series.every((s) => s.points.length === 0)) return html`<div class="empty">No data for this period.</div>`;
    const summary = chartSummary(this.label, this.series, this.format);
    const colours = readTheme(getComputedStyle(this)).series;
    return html`<div class="chart" role="img" aria-label=${summary} data-chart=${this.label} data-series=${this.series.map((s) => s.key).join(',')}></div>
      <div class="legend" aria-hidden="true">
        ${this.series.map((s, i) => html`<span data-legend=${s.key}><span class="swatch" style="background:${colours[i % colours.length]}"></span>${s.key}</span>`)}
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wz-line-chart': WzLineChart;
  }
}
