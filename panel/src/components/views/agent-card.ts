// One agent in the Agents view: state, node, heartbeat age (red once stale), cost, errors, the
// lifecycle buttons (each confirmed), a spawned agent's grants and, on demand, its live log.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { commandAgent, deleteAgent } from '../../data/agents.ts';
import type { Agent, AgentCommand } from '../../data/types.ts';
import { ageMs, errorText, relative, usd } from '../../format.ts';
import { ICON } from '../../icons.ts';
import '../shared/icon.ts';
import { confirmAction } from '../shared/confirm-dialog.ts';
import { baseStyles } from '../shared/styles.ts';
import './agent-grants.ts';
import './agent-logs.ts';

/** Agents beat every 30 s or so; three missed beats means something is wrong. */
export const STALE_HEARTBEAT_MS = 90_000;

const COMMANDS: { command: AgentCommand; label: string; when: (a: Agent) => boolean }[] = [
  { command: 'pause', label: 'Pause', when: (a) => a.state === 'running' },
  { command: 'resume', label: 'Resume', when: (a) => a.state === 'paused' },
  { command: 'stop', label: 'Stop', when: (a) => a.state === 'running' || a.state === 'paused' },
  { command: 'restart', label: 'Restart', when: () => true },
];

/** What a protected agent refuses (the server says so too; the buttons are simply not offered). */
const PROTECTED_REFUSES: ReadonlySet<AgentCommand> = new Set(['pause', 'stop']);

@customElement('wz-agent-card')
export class WzAgentCard extends LitElement {
  @property({ attribute: false }) accessor agent: Agent | undefined = undefined;
  @property({ attribute: false }) accessor now = Date.now();
  @state() private accessor _logs = false;
  @state() private accessor _busy = false;
  @state() private accessor _error: string | undefined = undefined;

  static override styles = [
    baseStyles,
    css`
      .stale { color: var(--error-color); font-weight: 500; }
      .errors { color: var(--error-color); }
      .problem { margin-top: 6px; padding: 6px 8px; border-radius: 6px; overflow-wrap: anywhere; background: color-mix(in srgb, var(--warning-color) 14%, transparent); }
      .problem.error { background: color-mix(in srgb, var(--error-color) 14%, transparent); }
      .problem .what { font-weight: 600; }
      .actions { margin-top: 8px; gap: 8px; }
      /* The chips move together, to the right of the name or under it, never one by one. */
      .chips { display: inline-flex; gap: 6px; margin-left: auto; }
    `,
  ];

  private async _run(label: string, action: () => Promise<unknown>): Promise<void> {
    const a = this.agent;
    if (!a || !(await confirmAction(`${label} agent "${a.name}"?`, label))) return;
    this._busy = true;
    this._error = undefined;
    try {
      await action();
    } catch (err) {
      this._error = errorText(err);
    } finally {
      this._busy = false;
    }
  }

  override render() {
    const a = this.agent;
    if (!a) return nothing;
    const age = ageMs(a.last_heartbeat, this.now);
    // No heartbeat yet is only overdue once the agent has been up longer than the threshold.
    const up = ageMs(a.started_at, this.now);
    const stale = a.state === 'running' && (age === undefined ? up === undefined || up > STALE_HEARTBEAT_MS : age > STALE_HEARTBEAT_MS);
    // Running but complaining (its newest log line is a warning or an error): not a green dot.
    const problem = a.state === 'running' ? a.problem : undefined;
    const health = problem ? (problem.level === 'error' ? 'bad' : 'warn') : stale ? 'warn' : `state-${a.state}`;
    return html`<div class="card" data-agent=${a.name} data-state=${a.state} data-problem=${problem?.level ?? 'none'}>
      <div class="row">
        <span class="dot ${health}" aria-hidden="true"></span>
        <h2>${a.name}</h2>
        <span class="chips">
          ${a.protected ? html`<span class="chip" data-field="protected" title="A system agent: it cannot be stopped, paused or deleted">protected</span>` : nothing}
          <span class="chip" data-field="state">${a.state}</span>
        </span>
      </div>
      <div class="small muted">${a.description}</div>
      ${problem
        ? html`<div class="problem small ${problem.level}" data-field="problem" role="status">
            <span class="what">${problem.level === 'error' ? 'Error' : 'Warning'}</span> ${problem.message}
            <span class="muted">· ${relative(problem.at, this.now)}</span>
          </div>`
        : nothing}
      <dl class="small">
        <dt>Type</dt><dd>${a.type}</dd>
        <dt>Node</dt><dd>${a.node}</dd>
        <dt>Heartbeat</dt><dd class=${stale ? 'stale' : ''} data-field="heartbeat" data-stale=${stale}>${relative(a.last_heartbeat, this.now)}</dd>
        <dt>Cost</dt><dd>${usd(a.cost_usd)}</dd>
        <dt>Messages</dt><dd>${a.messages_processed}</dd>
        <dt>Errors</dt><dd class=${a.errors > 0 ? 'errors' : ''}>${a.errors}</dd>
      </dl>
      <div class="card-actions actions">
        ${COMMANDS.filter((c) => c.when(a) && !(a.protected && PROTECTED_REFUSES.has(c.command))).map(
          (c) => html`<button data-action=${c.command} ?disabled=${this._busy} @click=${() => this._run(c.label, () => commandAgent(a.name, c.command))}><wz-icon .path=${ICON[c.command]}></wz-icon>${c.label}</button>`,
        )}
        ${a.protected ? nothing : html`<button class="danger" data-action="delete" ?disabled=${this._busy} @click=${() => this._run('Delete', () => deleteAgent(a.name))}><wz-icon .path=${ICON.delete}></wz-icon>Delete</button>`}
        <span class="spacer"></span>
        <button data-action="logs" aria-expanded=${this._logs} @click=${() => (this._logs = !this._logs)}><wz-icon .path=${ICON.logs}></wz-icon>Logs</button>
      </div>
      ${this._error ? html`<div class="error small">${this._error}</div>` : nothing}
      ${a.type === 'dynamic' && !a.protected ? html`<wz-agent-grants .agent=${a.name}></wz-agent-grants>` : nothing}
      ${this._logs ? html`<wz-agent-logs .name=${a.name}></wz-agent-logs>` : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wz-agent-card': WzAgentCard;
  }
}
