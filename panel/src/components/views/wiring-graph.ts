// Who talks to whom over MQTT, as an SVG: publishing agents on the left, topics in the middle,
// subscribing agents on the right. Pure SVG from data; no layout library.
import { LitElement, css, html, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { TopicInfo } from '../../data/types.ts';

const ROW = 34;
const WIDTH = 640;
const COLS = [90, 320, 550];

function short(topic: string): string {
  return topic.split('/').slice(-3).join('/');
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

@customElement('wz-wiring-graph')
export class WzWiringGraph extends LitElement {
  @property({ attribute: false }) accessor topics: TopicInfo[] = [];

  static override styles = css`
    svg { width: 100%; height: auto; display: block; }
    .edge { stroke: var(--secondary-text-color); stroke-opacity: 0.5; fill: none; }
    .node rect { fill: var(--card-background-color); stroke: var(--divider-color); }
    .topic rect { fill: color-mix(in srgb, var(--primary-color) 18%, var(--card-background-color)); stroke: var(--primary-color); }
    text { fill: var(--primary-text-color); font-size: 12px; dominant-baseline: middle; text-anchor: middle; }
    .head { fill: var(--secondary-text-color); font-size: 11px; }
  `;

  override render() {
    const publishers = [...new Set(this.topics.flatMap((t) => t.publishers))];
    const subscribers = [...new Set(this.topics.flatMap((t) => t.subscribers))];
    const rows = Math.max(publishers.length, this.topics.length, subscribers.length, 1);
    const height = rows * ROW + 40;
    const y = (i: number, n: number) => 30 + (i + 0.5) * ((height - 40) / n);
    const pubY = new Map(publishers.map((p, i) => [p, y(i, publishers.length)]));
    const subY = new Map(subscribers.map((s, i) => [s, y(i, subscribers.length)]));
    const curve = (x1: number, y1: number, x2: number, y2: number) => `M${x1},${y1} C${(x1 + x2) / 2},${y1} ${(x1 + x2) / 2},${y2} ${x2},${y2}`;
    const box = (cls: string, x: number, cy: number, label: string, w: number) =>
      svg`<g class=${cls}><rect x=${x - w / 2} y=${cy - 12} width=${w} height="24" rx="6"></rect><text x=${x} y=${cy}>${label}</text></g>`;
    return html`<svg viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="Wiring between agents and topics" data-graph="wiring">
      <text class="head" x=${COLS[0]} y="12">publishes</text>
      <text class="head" x=${COLS[1]} y="12">topic</text>
      <text class="head" x=${COLS[2]} y="12">subscribes</text>
      ${this.topics.map((t, i) => {
        const ty = y(i, this.topics.length);
        return svg`${t.publishers.map((p) => svg`<path class="edge" d=${curve(COLS[0] + 75, pubY.get(p)!, COLS[1] - 105, ty)}></path>`)}
          ${t.subscribers.map((s) => svg`<path class="edge" d=${curve(COLS[1] + 105, ty, COLS[2] - 75, subY.get(s)!)}></path>`)}`;
      })}
      ${publishers.map((p) => box('node', COLS[0], pubY.get(p)!, clip(p, 20), 150))}
      ${this.topics.map((t, i) => box('topic', COLS[1], y(i, this.topics.length), clip(short(t.topic), 28), 210))}
      ${subscribers.map((s) => box('node', COLS[2], subY.get(s)!, clip(s, 20), 150))}
    </svg>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wz-wiring-graph': WzWiringGraph;
  }
}
