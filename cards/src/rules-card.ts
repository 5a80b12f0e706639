// wactorz-rules-card: Wactorz's rules with their status and an enable switch. The rows come from
// the integration's rule switches in `hass` (rules.ts), so a rule approved in chat appears, and a
// toggle elsewhere shows here, as soon as HA's states change.
import { LitElement, css, html, nothing } from 'lit';
import { errorText, type HomeAssistant } from './hass.ts';
import { ago, ruleRows, setRuleEnabled, type RuleRow } from './rules.ts';
import { cardStyles } from './styles.ts';

export interface RulesCardConfig {
  type: string;
  title?: string;
  /** Also list the rules that are switched off (default true). */
  show_disabled?: boolean;
}

const STATUS_LABEL: Record<string, string> = { active: 'Active', disabled: 'Off', degraded: 'Degraded', failed: 'Failed' };

export class WactorzRulesCard extends LitElement {
  static override properties = {
    hass: { attribute: false },
    _config: { state: true },
    _pending: { state: true },
    _error: { state: true },
  };

  declare hass: HomeAssistant | undefined;
  declare private _config: RulesCardConfig;
  /** Switches waiting for HA's answer, so a second click cannot race the first. */
  declare private _pending: ReadonlySet<string>;
  declare private _error: string | undefined;

  constructor() {
    super();
    this._config = { type: 'custom:wactorz-rules-card' };
    this._pending = new Set();
    this._error = undefined;
  }

  static getStubConfig(): Omit<RulesCardConfig, 'type'> {
    return { title: 'Wactorz rules' };
  }

  static getConfigForm() {
    return {
      schema: [
        { name: 'title', selector: { text: {} } },
        { name: 'show_disabled', default: true, selector: { boolean: {} } },
      ],
    };
  }

  setConfig(config: RulesCardConfig): void {
    this._config = config;
  }

  getCardSize(): number {
    return 1 + (this.hass ? ruleRows(this.hass).length : 2);
  }

  static override styles = [cardStyles, css`
    ul { list-style: none; margin: 0; padding: 0; }
    li { display: flex; align-items: center; gap: 12px; padding: 8px 0; }
    li + li { border-top: 1px solid var(--divider-color, #e0e0e0); }
    .text { flex: 1; min-width: 0; }
    .name { overflow-wrap: anywhere; }
    .meta { font-size: 0.875rem; display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: center; }
    .chip {
      border-radius: 10px;
      padding: 0 8px;
      font-size: 0.75rem;
      line-height: 1.25rem;
      background: var(--secondary-background-color, #f0f0f0);
    }
    .chip.active { background: color-mix(in srgb, var(--success-color, #43a047) 20%, transparent); }
    .chip.degraded { background: color-mix(in srgb, var(--warning-color, #ffa600) 25%, transparent); }
    .chip.failed { background: color-mix(in srgb, var(--error-color, #db4437) 20%, transparent); }
    input[type='checkbox'] {
      appearance: none;
      width: 36px;
      height: 20px;
      flex: none;
      border-radius: 10px;
      background: var(--switch-unchecked-track-color, #9e9e9e);
      position: relative;
      cursor: pointer;
      margin: 0;
      transition: background 0.15s;
    }
    input[type='checkbox']::after {
      content: '';
      position: absolute;
      top: 2px;
      left: 2px;
      width: 16px;
      height: 16px;
      border-radius: 50%;
      background: #fff;
      transition: transform 0.15s;
    }
    input[type='checkbox']:checked { background: var(--switch-checked-track-color, var(--primary-color, #03a9f4)); }
    input[type='checkbox']:checked::after { transform: translateX(16px); }
    input[type='checkbox']:disabled { opacity: 0.4; cursor: default; }
  `];

  private async _toggle(row: RuleRow, event: Event): Promise<void> {
    const box = event.target as HTMLInputElement;
    if (!this.hass) return;
    this._pending = new Set([...this._pending, row.entityId]);
    this._error = undefined;
    try {
      await setRuleEnabled(this.hass, row.entityId, box.checked);
    } catch (err) {
      this._error = `${row.name}: ${errorText(err)}`;
    } finally {
      this._pending = new Set([...this._pending].filter((id) => id !== row.entityId));
      // The state HA reports decides the position, not the click (a refused toggle springs back).
      box.checked = this.hass.states[row.entityId]?.state === 'on';
    }
  }

  private _row(row: RuleRow) {
    const language = this.hass?.language ?? 'en';
    const status = row.available ? (row.status ?? (row.enabled ? 'active' : 'disabled')) : 'unavailable';
    // Unavailable (Wactorz unreachable): HA keeps only the name, so nothing else is known.
    const fired = !row.available ? nothing : row.lastFiredAt ? html`<span>fired ${ago(row.lastFiredAt, language)}${row.fireCount ? html` · ${row.fireCount}×` : nothing}</span>` : html`<span>not fired yet</span>`;
    return html`<li data-entity=${row.entityId} data-rule=${row.ruleId ?? nothing}>
      <div class="text">
        <div class="name">${row.name}</div>
        <div class="meta muted">
          <span class="chip ${status}" data-status=${status}>${STATUS_LABEL[status] ?? (status === 'unavailable' ? 'Unavailable' : status)}</span>
          ${fired}
        </div>
        ${row.description ? html`<div class="muted meta">${row.description}</div>` : nothing}
      </div>
      <input type="checkbox" role="switch" aria-label=${`Enable ${row.name}`} .checked=${row.enabled}
        ?disabled=${!row.available || this._pending.has(row.entityId)}
        @change=${(e: Event) => this._toggle(row, e)} />
    </li>`;
  }

  override render() {
    const title = this._config.title ?? 'Wactorz rules';
    const all = this.hass ? ruleRows(this.hass) : [];
    const rows = this._config.show_disabled === false ? all.filter((r) => r.enabled) : all;
    return html`<ha-card>
      ${title ? html`<div class="header">${title}</div>` : nothing}
      <div class="content">
        ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
        ${rows.length === 0
          ? html`<p class="muted">No rules yet. Ask Wactorz for one, e.g. "when the front door opens after sunset, turn on the hallway light".</p>`
          : html`<ul>${rows.map((r) => this._row(r))}</ul>`}
      </div>
    </ha-card>`;
  }
}
