// A rule's approved versions, newest first: which one runs, who approved it and when, what asked
// for it, what it changed against the one before (the diff on demand), and a rollback to any
// earlier one (confirmed; the server records the rollback as a new version). Collapsed to one
// line until opened, so a list of rules stays short. Absent where the server keeps no versions.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { rollbackRule, ruleVersionsCollection } from '../../data/rule-versions.ts';
import type { Rule, RuleVersion } from '../../data/types.ts';
import { dateTime, errorText } from '../../format.ts';
import { CollectionController } from '../shared/collection-controller.ts';
import { confirmAction } from '../shared/confirm-dialog.ts';
import { baseStyles } from '../shared/styles.ts';
import './rule-diff.ts';

const SOURCE: Record<string, string> = { created: 'created', edit: 'edited', rollback: 'rolled back' };

@customElement('wz-rule-versions')
export class WzRuleVersions extends LitElement {
  @property({ attribute: false }) accessor rule: Rule | undefined = undefined;
  @state() private accessor _expanded = false;
  /** Versions whose diff is shown. */
  @state() private accessor _diffs: ReadonlySet<number> = new Set();
  @state() private accessor _busy = false;
  @state() private accessor _error: string | undefined = undefined;
  @state() private accessor _done: string | undefined = undefined;
  private _versions: CollectionController<RuleVersion[] | null> | undefined;
  private _ruleId: string | undefined;

  static override styles = [
    baseStyles,
    css`
      section { margin-top: 12px; padding-top: 8px; border-top: 1px solid var(--divider-color); }
      h3 { margin: 0; font-size: 0.9rem; font-weight: 500; }
      ol { list-style: none; margin: 8px 0 0; padding: 0; display: grid; gap: 8px; }
      li { border: 1px solid var(--divider-color); border-radius: 8px; padding: 8px 10px; min-width: 0; }
      li[data-current='true'] { border-color: var(--primary-color); }
      .v { font-weight: 600; }
      .current { background: color-mix(in srgb, var(--primary-color) 18%, transparent); }
      .request { font-style: italic; overflow-wrap: anywhere; }
      .summary { overflow-wrap: anywhere; }
      .diff { margin-top: 6px; }
      .against { margin-bottom: 4px; }
      button.small-btn { min-height: 28px; padding: 2px 10px; font-size: 0.8rem; }
      .done { color: var(--success-color); }
    `,
  ];

  override willUpdate(changed: PropertyValues<this>): void {
    const r = this.rule;
    if (!changed.has('rule') || !r || r.id === this._ruleId) return;
    this._ruleId = r.id;
    this._diffs = new Set();
    const collection = ruleVersionsCollection(r.id);
    if (this._versions) this._versions.use(collection);
    else this._versions = new CollectionController(this, collection);
  }

  private _toggleDiff(v: number): void {
    const next = new Set(this._diffs);
    if (!next.delete(v)) next.add(v);
    this._diffs = next;
  }

  private async _rollback(r: Rule, v: RuleVersion): Promise<void> {
    const ok = await confirmAction(`Roll "${r.name}" back to version ${v.version}? Its agents are replaced by that version's; the rollback is kept as a new version.`, `Roll back to v${v.version}`);
    if (!ok) return;
    this._busy = true;
    this._error = undefined;
    this._done = undefined;
    try {
      const result = await rollbackRule(r.id, v.version);
      this._done = `Rolled back: now running version ${result.version.version} (the agents of v${v.version}).`;
      await this._versions?.refresh();
    } catch (err) {
      this._error = errorText(err);
    } finally {
      this._busy = false;
    }
  }

  private _version(r: Rule, v: RuleVersion) {
    const diffOpen = this._diffs.has(v.version);
    return html`<li data-version=${v.version} data-current=${v.current}>
      <div class="row">
        <span class="v">v${v.version}</span>
        ${v.current ? html`<span class="chip current" data-field="current">running</span>` : nothing}
        <span class="chip">${SOURCE[v.source] ?? v.source}</span>
        <span class="small muted">${dateTime(v.approved_at)}${v.approved_by ? ` · ${v.approved_by}` : ''}</span>
      </div>
      ${v.request ? html`<div class="small request">“${v.request}”</div>` : nothing}
      <div class="small summary">${v.summary}</div>
      <div class="row" style="margin-top:6px">
        ${v.diff.length
          ? html`<button class="small-btn" data-action="diff" aria-expanded=${diffOpen} aria-label="${diffOpen ? 'Hide' : 'Show'} the changes of version ${v.version}" @click=${() => this._toggleDiff(v.version)}>
              ${diffOpen ? 'Hide changes' : `Changes (${v.diff.length})`}
            </button>`
          : nothing}
        ${v.current
          ? nothing
          : html`<button class="small-btn" data-action="rollback" ?disabled=${this._busy} @click=${() => this._rollback(r, v)}>Roll back to v${v.version}</button>`}
      </div>
      ${diffOpen ? html`<div class="diff">${v.version > 1 ? html`<div class="small muted against">Against v${v.version - 1}:</div>` : nothing}<wz-rule-diff .changes=${v.diff}></wz-rule-diff></div>` : nothing}
    </li>`;
  }

  override render() {
    const r = this.rule;
    const s = this._versions?.state;
    // Not loaded yet, or no versions on this server: nothing, rather than a section that cannot work.
    if (!r || !s || s.data === null || (s.data === undefined && !s.error)) return nothing;
    const versions = s.data ?? [];
    const running = versions.find((v) => v.current);
    return html`<section aria-labelledby="versions-title">
      <div class="row">
        <h3 id="versions-title">Versions</h3>
        <span class="small muted" data-field="running-version">${running ? `v${running.version} running · ${versions.length} kept` : s.error ?? ''}</span>
        <span class="spacer"></span>
        ${versions.length
          ? html`<button class="small-btn" data-action="versions" aria-expanded=${this._expanded} @click=${() => (this._expanded = !this._expanded)}>${this._expanded ? 'Hide versions' : 'Show versions'}</button>`
          : nothing}
      </div>
      ${this._done ? html`<div class="small done" role="status" data-field="rollback-done">${this._done}</div>` : nothing}
      ${this._error ? html`<div class="small error" role="alert">${this._error}</div>` : nothing}
      ${this._expanded ? html`<ol aria-label="Versions of ${r.name}, newest first">${versions.map((v) => this._version(r, v))}</ol>` : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wz-rule-versions': WzRuleVersions;
  }
}
