// Who talks to whom over MQTT: agents and the topics they publish to and read, laid out by dagre
// (wiring-layout.ts) and drawn as SVG. The graph keeps a readable scale and pans and zooms
// (drag, pinch, Ctrl/⌘ + wheel, the + − and fit buttons) instead of shrinking to fit a phone.
import { LitElement, css, html, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { TopicInfo } from '../../data/types.ts';
import { ICON } from '../../icons.ts';
import '../shared/icon.ts';
import { layoutWiring, type WiringLayout } from './wiring-layout.ts';

/** The labels' font, as in the stylesheet below: boxes are measured with it. */
const FONT = '12px system-ui, sans-serif';
const MIN_SCALE = 0.4;
const MAX_SCALE = 2.5;
/** Below this the labels are too small to read: "fit" stops here and the rest is panned to. */
const READABLE_SCALE = 0.8;

let canvas: CanvasRenderingContext2D | null | undefined;
function measure(text: string): number {
  canvas ??= document.createElement('canvas').getContext('2d');
  if (!canvas) return text.length * 7;
  canvas.font = FONT;
  return canvas.measureText(text).width;
}

function pathOf(points: { x: number; y: number }[]): string {
  if (points.length === 0) return '';
  const [first, ...rest] = points;
  // dagre gives the bend points; a smooth curve through them reads better than corners.
  if (rest.length === 0) return `M${first.x},${first.y}`;
  let d = `M${first.x},${first.y}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const p = rest[i];
    const n = rest[i + 1];
    d += ` Q${p.x},${p.y} ${(p.x + n.x) / 2},${(p.y + n.y) / 2}`;
  }
  const last = rest.at(-1)!;
  return `${d} L${last.x},${last.y}`;
}

@customElement('wz-wiring-graph')
export class WzWiringGraph extends LitElement {
  @property({ attribute: false }) accessor topics: TopicInfo[] = [];
  @state() private accessor _k = 1;
  @state() private accessor _x = 0;
  @state() private accessor _y = 0;
  private _layout: WiringLayout | undefined;
  private _laidFor: TopicInfo[] | undefined;
  private _fitted = false;
  private readonly _pointers = new Map<number, { x: number; y: number }>();
  private _resize: ResizeObserver | undefined;

  static override styles = css`
    :host { display: block; position: relative; }
    .view { height: min(420px, 70vh); border-radius: 8px; overflow: hidden; touch-action: none; cursor: grab;
      background: color-mix(in srgb, var(--primary-text-color) 3%, transparent); }
    .view:active { cursor: grabbing; }
    svg { width: 100%; height: 100%; display: block; user-select: none; }
    .edge { stroke: var(--secondary-text-color); stroke-opacity: 0.6; fill: none; marker-end: url(#arrow); }
    #arrow path { fill: var(--secondary-text-color); fill-opacity: 0.6; }
    .node rect { fill: var(--card-background-color); stroke: var(--divider-color); }
    .topic rect { fill: color-mix(in srgb, var(--primary-color) 18%, var(--card-background-color)); stroke: var(--primary-color); }
    text { fill: var(--primary-text-color); font: 12px system-ui, sans-serif; dominant-baseline: central; text-anchor: middle; }
    .zoom { position: absolute; top: 8px; right: 8px; display: flex; gap: 4px; }
    .zoom button {
      width: 36px; height: 36px; border-radius: 50%; cursor: pointer; padding: 0; display: inline-flex; align-items: center; justify-content: center;
      border: 1px solid var(--divider-color); background: var(--card-background-color); color: var(--primary-text-color); --wz-icon-size: 20px;
    }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    this._resize = new ResizeObserver(() => {
      if (!this._fitted) this._fit();
    });
    this._resize.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._resize?.disconnect();
  }

  private _graph(): WiringLayout {
    if (!this._layout || this._laidFor !== this.topics) {
      this._layout = layoutWiring(this.topics, measure);
      this._laidFor = this.topics;
      this._fitted = false;
    }
    return this._layout;
  }

  /** The whole graph in view if that keeps it readable; else readable, from its left edge. */
  private _fit(): void {
    const g = this._graph();
    const box = this.renderRoot.querySelector('.view')?.getBoundingClientRect();
    if (!box || box.width === 0 || g.width === 0) return;
    const k = Math.min(1, Math.max(READABLE_SCALE, Math.min(box.width / g.width, box.height / g.height)));
    this._k = k;
    this._x = Math.max(0, (box.width - g.width * k) / 2);
    this._y = Math.max(0, (box.height - g.height * k) / 2);
    this._fitted = true;
  }

  /** Zooms by `factor` keeping the point (cx, cy) of the view where it is. */
  private _zoom(factor: number, cx?: number, cy?: number): void {
    const box = this.renderRoot.querySelector('.view')?.getBoundingClientRect();
    const px = cx ?? (box ? box.width / 2 : 0);
    const py = cy ?? (box ? box.height / 2 : 0);
    const k = Math.min(MAX_SCALE, Math.max(MIN_SCALE, this._k * factor));
    this._x = px - ((px - this._x) * k) / this._k;
    this._y = py - ((py - this._y) * k) / this._k;
    this._k = k;
  }

  private _local(e: PointerEvent | WheelEvent): { x: number; y: number } {
    const box = (e.currentTarget as HTMLElement).getBoundingClientRect();
    return { x: e.clientX - box.left, y: e.clientY - box.top };
  }

  private _onWheel(e: WheelEvent): void {
    // A plain wheel scrolls the page as everywhere else; with Ctrl/⌘ (and a trackpad pinch) it zooms.
    if (!e.ctrlKey && !e.metaKey) return;
    e.preventDefault();
    const p = this._local(e);
    this._zoom(Math.exp(-e.deltaY / 300), p.x, p.y);
  }

  private _onDown(e: PointerEvent): void {
    if ((e.target as Element).closest('button')) return;
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    this._pointers.set(e.pointerId, this._local(e));
  }

  private _onMove(e: PointerEvent): void {
    const before = this._pointers.get(e.pointerId);
    if (!before) return;
    const now = this._local(e);
    if (this._pointers.size === 2) {
      // Pinch: the distance between the two fingers sets the scale, around their midpoint.
      const other = [...this._pointers.entries()].find(([id]) => id !== e.pointerId)![1];
      const d0 = Math.hypot(before.x - other.x, before.y - other.y);
      const d1 = Math.hypot(now.x - other.x, now.y - other.y);
      if (d0 > 0) this._zoom(d1 / d0, (now.x + other.x) / 2, (now.y + other.y) / 2);
    } else {
      this._x += now.x - before.x;
      this._y += now.y - before.y;
    }
    this._pointers.set(e.pointerId, now);
  }

  private _onUp(e: PointerEvent): void {
    this._pointers.delete(e.pointerId);
  }

  override updated(): void {
    if (!this._fitted) this._fit();
  }

  override render() {
    const g = this._graph();
    const byId = new Map(g.nodes.map((n) => [n.id, n]));
    return html`<div
        class="view"
        @wheel=${(e: WheelEvent) => this._onWheel(e)}
        @pointerdown=${(e: PointerEvent) => this._onDown(e)}
        @pointermove=${(e: PointerEvent) => this._onMove(e)}
        @pointerup=${(e: PointerEvent) => this._onUp(e)}
        @pointercancel=${(e: PointerEvent) => this._onUp(e)}
      >
        <svg role="img" aria-label="Wiring between agents and topics" data-graph="wiring" data-scale=${this._k.toFixed(2)}>
          <defs><marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L8,4 L0,8 z"></path></marker></defs>
          <g transform="translate(${this._x} ${this._y}) scale(${this._k})">
            ${g.edges.map((e) => svg`<path class="edge" data-from=${byId.get(e.from)?.label ?? ''} data-to=${byId.get(e.to)?.label ?? ''} d=${pathOf(e.points)}></path>`)}
            ${g.nodes.map(
              (n) => svg`<g class=${n.kind === 'topic' ? 'topic' : 'node'} data-label=${n.label}>
                <rect x=${n.x - n.width / 2} y=${n.y - n.height / 2} width=${n.width} height=${n.height} rx="6"></rect>
                <text x=${n.x} y=${n.y}>${n.label}</text>
              </g>`,
            )}
          </g>
        </svg>
      </div>
      <div class="zoom">
        <button data-zoom="in" aria-label="Zoom in" title="Zoom in" @click=${() => this._zoom(1.25)}><wz-icon .path=${ICON.add}></wz-icon></button>
        <button data-zoom="out" aria-label="Zoom out" title="Zoom out" @click=${() => this._zoom(0.8)}><wz-icon .path=${ICON.remove}></wz-icon></button>
        <button data-zoom="fit" aria-label="Fit" title="Fit" @click=${() => this._fit()}><wz-icon .path=${ICON.fit}></wz-icon></button>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wz-wiring-graph': WzWiringGraph;
  }
}
