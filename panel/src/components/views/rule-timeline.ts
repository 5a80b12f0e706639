// A rule's recent evaluations as a strip of markers, oldest to newest, each coloured and marked by
// how it ended (acted, filtered out, condition false, cooldown, unreachable, error...), with the
// counts and the newest one's reason in words. A marker opens the full trace below the strip.
// Keyboard: the strip is one tab stop (a listbox); arrows, Home and End move along it, Enter or
// Space opens or closes the trace, Escape closes it.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ruleTracesCollection } from '../../data/rule-traces.ts';
import type { Rule, RuleTrace } from '../../data/types.ts';
import { CollectionController } from '../shared/collection-controller.ts';
import { baseStyles } from '../shared/styles.ts';
import { outcomeCounts, outcomeLook, traceReason, traceTime } from './rule-trace-model.ts';
import { toneStyles } from './rule-tone-styles.ts';
import './rule-trace.ts';

@customElement('wz-rule-timeline')
export class WzRuleTimeline extends LitElement {
  @property({ attribute: false }) accessor rule: Rule | undefined = undefined;
  @property({ attribute: false }) accessor now = Date.now();
  /** The trace shown in full, by id; kept across refetches while it is still in the list. */
  @state() private accessor _open: number | undefined = undefined;
  /** The marker that holds the strip's tab stop. */
  @state() private accessor _active: number | undefined = undefined;
  private _traces: CollectionController<RuleTrace[] | null> | undefined;
  private _ruleId: string | undefined;

  static override styles = [
    baseStyles,
    toneStyles,
    css`
      section { margin-top: 12px; padding-top: 8px; border-top: 1px solid var(--divider-color); }
      h3 { margin: 0; font-size: 0.9rem; font-weight: 500; }
      .counts { gap: 4px; }
      .strip { display: flex; flex-wrap: wrap; gap: 4px; margin: 8px 0 2px; padding: 2px; border-radius: 6px; }
      .strip:focus-visible { outline: none; }
      .marker {
        width: 24px; height: 24px; border-radius: 4px; box-sizing: border-box; flex: none; cursor: pointer;
        display: inline-flex; align-items: center; justify-content: center; font-size: 0.75rem; line-height: 1; user-select: none;
        color: var(--primary-text-color);
        background: color-mix(in srgb, var(--tone) 20%, transparent);
        box-shadow: inset 0 0 0 1px color-mix(in srgb, var(--tone) 60%, transparent);
      }
      .marker.tone-ok, .marker.tone-bad { background: var(--tone); color: var(--text-primary-color, #fff); box-shadow: none; }
      .marker[aria-selected='true'] { outline: 2px solid var(--primary-text-color); outline-offset: 1px; }
      .marker:focus-visible { outline: 2px solid var(--primary-color); outline-offset: 2px; }
      .axis { display: flex; justify-content: space-between; gap: 8px; }
      .latest { margin-top: 6px; overflow-wrap: anywhere; }
      .latest .chip { margin-right: 4px; }
      .close { margin-left: auto; }
      button.small-btn { min-height: 28px; padding: 2px 10px; font-size: 0.8rem; }
    `,
  ];

  override willUpdate(changed: PropertyValues<this>): void {
    const r = this.rule;
    if (!changed.has('rule') || !r || r.id === this._ruleId) return;
    this._ruleId = r.id;
    this._open = undefined;
    this._active = undefined;
    const collection = ruleTracesCollection(r.id, r.last_fired_at);
    if (this._traces) this._traces.use(collection);
    else this._traces = new CollectionController(this, collection);
  }

  private _markers(): HTMLElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLElement>('.marker')];
  }

  private _toggle(id: number): void {
    this._active = id;
    this._open = this._open === id ? undefined : id;
  }

  /** Arrow keys follow time: Left is older, Right is newer. The open trace follows the focus. */
  private _onKey(e: KeyboardEvent, chronological: RuleTrace[]): void {
    const at = chronological.findIndex((t) => t.id === this._activeId(chronological));
    let next: number | undefined;
    switch (e.key) {
      case 'ArrowLeft':
      case 'ArrowUp':
        next = Math.max(0, at - 1);
        break;
      case 'ArrowRight':
      case 'ArrowDown':
        next = Math.min(chronological.length - 1, at + 1);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = chronological.length - 1;
        break;
      case 'Enter':
      case ' ': {
        e.preventDefault();
        const id = chronological[at]?.id;
        if (id !== undefined) this._toggle(id);
        return;
      }
      case 'Escape':
        if (this._open !== undefined) {
          e.preventDefault();
          this._open = undefined;
        }
        return;
      default:
        return;
    }
    e.preventDefault();
    const target = chronological[next];
    if (!target) return;
    this._active = target.id;
    if (this._open !== undefined) this._open = target.id;
    void this.updateComplete.then(() => this._markers()[next]?.focus());
  }

  /** The marker with the tab stop: the one chosen last, else the newest. */
  private _activeId(chronological: RuleTrace[]): number | undefined {
    return chronological.some((t) => t.id === this._active) ? this._active : chronological.at(-1)?.id;
  }

  private _close(): void {
    const id = this._open;
    this._open = undefined;
    // Back to the marker that opened it, so a keyboard user keeps their place.
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`.marker[data-id="${id}"]`)?.focus());
  }

  override render() {
    const r = this.rule;
    const s = this._traces?.state;
    if (!r || !s) return nothing;
    // No trace endpoint on this server (or the rule is gone): no timeline rather than a broken one.
    if (s.data === null) return nothing;
    const head = html`<div class="row">
      <h3 id="tl-title">Recent evaluations</h3>
      <span class="spacer"></span>
      <button class="small-btn" data-action="refresh-traces" aria-label="Refresh evaluations of ${r.name}" @click=${() => void this._traces?.refresh()}>Refresh</button>
    </div>`;
    if (!s.data) return html`<section aria-labelledby="tl-title">${head}${s.error ? html`<div class="error small">${s.error}</div>` : html`<div class="small muted">Loading evaluations…</div>`}</section>`;
    if (s.data.length === 0) {
      return html`<section aria-labelledby="tl-title">
        ${head}<div class="small muted" data-field="no-traces">No evaluations recorded yet: nothing has reached this rule's trigger since it was traced.</div>
      </section>`;
    }
    const chronological = [...s.data].reverse();
    const active = this._activeId(chronological);
    const open = s.data.find((t) => t.id === this._open);
    const newest = s.data[0];
    const oldest = chronological[0];
    return html`<section aria-labelledby="tl-title">
      ${head}
      <div class="row counts small" data-field="counts">
        <span class="muted">Last ${s.data.length}:</span>
        ${outcomeCounts(s.data).map(({ outcome, count }) => {
          const look = outcomeLook(outcome);
          return html`<span class="chip tone-${look.tone}" data-outcome=${outcome}><span aria-hidden="true">${look.glyph}</span>${count} ${look.label}</span>`;
        })}
      </div>
      <div class="strip" role="listbox" aria-labelledby="tl-title" aria-orientation="horizontal" aria-description="oldest first; Enter opens the trace"
        data-field="timeline" @keydown=${(e: KeyboardEvent) => this._onKey(e, chronological)}>
        ${chronological.map((t) => {
          const look = outcomeLook(t.outcome);
          const when = traceTime(t.at, this.now);
          return html`<div class="marker tone-${look.tone}" role="option" data-id=${t.id} data-outcome=${t.outcome}
            tabindex=${t.id === active ? 0 : -1} aria-selected=${t.id === this._open ? 'true' : 'false'}
            aria-label="${when}, ${look.label}" title="${when} · ${look.label}"
            @click=${() => this._toggle(t.id)}><span aria-hidden="true">${look.glyph}</span></div>`;
        })}
      </div>
      <div class="axis small muted" aria-hidden="true"><span>${traceTime(oldest.at, this.now)}</span><span>${traceTime(newest.at, this.now)}</span></div>
      ${open
        ? html`<div class="row" style="margin-top:8px">
              <span class="small muted">Trace</span>
              <button class="small-btn close" data-action="close-trace" @click=${() => this._close()}>Close</button>
            </div>
            <wz-rule-trace .trace=${open} .now=${this.now}></wz-rule-trace>`
        : html`<div class="latest small" data-field="latest">
            <span class="muted">Latest</span> ${traceTime(newest.at, this.now)}
            <span class="chip tone-${outcomeLook(newest.outcome).tone}">${outcomeLook(newest.outcome).label}</span>${traceReason(newest)}
          </div>`}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wz-rule-timeline': WzRuleTimeline;
  }
}
