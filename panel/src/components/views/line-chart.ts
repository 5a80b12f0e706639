// A small multi-series line chart in SVG (spend over time). Axis labels and a legend; scales to
// its container, so it works on a phone as well as a desktop.
import { LitElement, css, html, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';

export interface Series {
  key: string;
  points: { t: number; v: number }[];
}

export const PALETTE = ['var(--primary-color)', '#ff9800', '#4caf50', '#e91e63', '#9c27b0', '#795548', '#607d8b'];
const W = 600;
const H = 220;
const PAD = { l: 48, r: 12, t: 12, b: 28 };

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= v) ?? v;
}

@customElement('wz-line-chart')
export class WzLineChart extends LitElement {
  @property({ attribute: false }) accessor series: Series[] = [];
  @property({ attribute: false }) accessor format: (v: number) => string = (v) => v.toFixed(2);
  @property() accessor label = '';

  static override styles = css`
    svg { width: 100%; height: auto; display: block; }
    .axis { stroke: var(--divider-color); }
    .grid { stroke: var(--divider-color); stroke-dasharray: 2 4; }
    text { fill: var(--secondary-text-color); font-size: 11px; }
    polyline { fill: none; stroke-width: 2; }
    .legend { display: flex; flex-wrap: wrap; gap: 6px 14px; font-size: 0.85rem; margin-top: 4px; }
    .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; }
  `;

  override render() {
    const all = this.series.flatMap((s) => s.points);
    if (all.length === 0) return html`<div class="legend">No data for this period.</div>`;
    const t0 = Math.min(...all.map((p) => p.t));
    const t1 = Math.max(...all.map((p) => p.t));
    const vmax = niceMax(Math.max(...all.map((p) => p.v)));
    const x = (t: number) => PAD.l + (t1 === t0 ? 0.5 : (t - t0) / (t1 - t0)) * (W - PAD.l - PAD.r);
    const y = (v: number) => H - PAD.b - (v / vmax) * (H - PAD.t - PAD.b);
    const ticks = [0, 0.5, 1].map((f) => f * vmax);
    const day = (t: number) => new Date(t).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
    return html`<svg viewBox="0 0 ${W} ${H}" role="img" aria-label=${this.label} data-chart=${this.label}>
        ${ticks.map((v) => svg`<line class="grid" x1=${PAD.l} x2=${W - PAD.r} y1=${y(v)} y2=${y(v)}></line><text x="4" y=${y(v) + 4}>${this.format(v)}</text>`)}
        <line class="axis" x1=${PAD.l} x2=${W - PAD.r} y1=${H - PAD.b} y2=${H - PAD.b}></line>
        <text x=${PAD.l} y=${H - 8}>${day(t0)}</text>
        <text x=${W - PAD.r} y=${H - 8} text-anchor="end">${day(t1)}</text>
        ${this.series.map(
          (s, i) => svg`<polyline data-series=${s.key} stroke=${PALETTE[i % PALETTE.length]} points=${s.points
            .slice()
            .sort((a, b) => a.t - b.t)
            .map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`)
            .join(' ')}></polyline>`,
        )}
      </svg>
      <div class="legend">${this.series.map((s, i) => html`<span><span class="swatch" style="background:${PALETTE[i % PALETTE.length]}"></span>${s.key}</span>`)}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wz-line-chart': WzLineChart;
  }
}
