// One evaluation of a rule, in full: when, how it ended and how long it took, the message that
// arrived (and on which topic), then every step in order — each filter clause with the value it
// read, the cooldown, HA's reachability, each condition with the state then, the confirmation
// check, each action with HA's answer — with its time since the evaluation began.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { RuleTrace } from '../../data/types.ts';
import { baseStyles } from '../shared/styles.ts';
import { duration, outcomeLook, stepKindLabel, stepTime, traceTime } from './rule-trace-model.ts';
import { toneStyles } from './rule-tone-styles.ts';

@customElement('wz-rule-trace')
export class WzRuleTrace extends LitElement {
  @property({ attribute: false }) accessor trace: RuleTrace | undefined = undefined;
  @property({ attribute: false }) accessor now = Date.now();

  static override styles = [
    baseStyles,
    toneStyles,
    css`
      :host { margin-top: 8px; }
      .box { border: 1px solid var(--divider-color); border-radius: 8px; padding: 10px 12px; }
      .head { gap: 6px 10px; }
      .head h3 { margin: 0; font-size: 0.95rem; font-weight: 500; }
      .mono, pre { font-family: var(--code-font-family, ui-monospace, SFMono-Regular, Menlo, monospace); font-size: 0.82rem; }
      pre {
        margin: 4px 0 0; padding: 6px 8px; border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere;
        background: color-mix(in srgb, var(--primary-text-color) 6%, transparent);
      }
      .label { color: var(--secondary-text-color); font-size: 0.8rem; margin-top: 8px; overflow-wrap: anywhere; }
      ol { list-style: none; margin: 4px 0 0; padding: 0; display: grid; gap: 2px; }
      li {
        display: grid; grid-template-columns: 20px 92px minmax(0, 1fr) auto; gap: 2px 8px; align-items: baseline;
        padding: 4px 0; border-top: 1px solid color-mix(in srgb, var(--divider-color) 60%, transparent);
      }
      li:first-child { border-top: none; }
      .mark { font-weight: 700; text-align: center; }
      .mark.yes { color: var(--success-color); }
      .mark.no { color: var(--error-color); }
      .kind { color: var(--secondary-text-color); font-size: 0.8rem; }
      .what { overflow-wrap: anywhere; }
      .detail { display: block; color: var(--secondary-text-color); overflow-wrap: anywhere; }
      .ms { color: var(--secondary-text-color); font-size: 0.8rem; white-space: nowrap; }
      /* A phone has no room for four columns: the kind moves above the step's text. */
      @media (max-width: 600px) {
        li { grid-template-columns: 20px minmax(0, 1fr) auto; }
        .kind { grid-column: 2; grid-row: 1; }
        .what { grid-column: 2 / 4; }
        .ms { grid-column: 3; grid-row: 1; }
      }
    `,
  ];

  override render() {
    const t = this.trace;
    if (!t) return nothing;
    const look = outcomeLook(t.outcome);
    return html`<div class="box" data-trace=${t.id} data-outcome=${t.outcome}>
      <div class="row head">
        <h3>${traceTime(t.at, this.now)}</h3>
        <span class="chip tone-${look.tone}" data-field="outcome"><span aria-hidden="true">${look.glyph}</span>${look.label}</span>
        <span class="small muted">${t.kind === 'agent' ? 'step' : t.kind} · ${t.agent} · ${duration(t.duration_ms)}</span>
      </div>
      ${t.message !== null
        ? html`<div class="label">Message${t.topic ? html` on <span class="mono">${t.topic}</span>` : nothing}</div>
            <pre data-field="message">${t.message}</pre>`
        : t.topic
          ? html`<div class="label">Topic <span class="mono">${t.topic}</span></div>`
          : nothing}
      <div class="label">Steps</div>
      ${t.steps.length === 0
        ? html`<div class="small muted">No steps recorded.</div>`
        : html`<ol data-field="steps">
            ${t.steps.map(
              (s) => html`<li data-step=${s.kind} data-ok=${s.ok}>
                <span class="mark ${s.ok ? 'yes' : 'no'}" role="img" aria-label=${s.ok ? 'passed' : 'failed'}>${s.ok ? '✓' : '✕'}</span>
                <span class="kind">${stepKindLabel(s.kind)}</span>
                <span class="what small"><span class="mono">${s.label}</span>${s.detail ? html`<span class="detail">${s.detail}</span>` : nothing}</span>
                <span class="ms">${stepTime(s.ms)}</span>
              </li>`,
            )}
          </ol>`}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wz-rule-trace': WzRuleTrace;
  }
}
