// Styles shared by the views: cards, buttons, state colours, all from HA theme variables with
// fallbacks, so the panel looks native in light and dark themes.
import { css } from 'lit';

export const baseStyles = css`
  :host { display: block; color: var(--primary-text-color); }
  .card {
    background: var(--card-background-color, var(--ha-card-background));
    color: var(--primary-text-color);
    border-radius: var(--ha-card-border-radius, 12px);
    box-shadow: var(--ha-card-box-shadow, 0 2px 4px rgba(0, 0, 0, 0.12));
    padding: 16px;
    box-sizing: border-box;
    min-width: 0;
  }
  .grid { display: grid; gap: 12px; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); }
  .muted { color: var(--secondary-text-color); }
  .small { font-size: 0.85rem; }
  .error { color: var(--error-color); }
  .row { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
  .spacer { flex: 1; }
  h2 { font-size: 1.05rem; font-weight: 500; margin: 0; overflow-wrap: anywhere; }
  button {
    font: inherit; font-size: 0.9rem; cursor: pointer; border-radius: 6px; padding: 6px 12px;
    border: 1px solid var(--divider-color); background: transparent; color: var(--primary-text-color);
    min-height: 36px;
  }
  button:hover:not([disabled]) { background: color-mix(in srgb, var(--primary-color) 10%, transparent); }
  button[disabled] { opacity: 0.5; cursor: default; }
  button.primary { background: var(--primary-color); border-color: var(--primary-color); color: var(--text-primary-color, #fff); }
  button.danger { color: var(--error-color); border-color: var(--error-color); }
  .dot { width: 10px; height: 10px; border-radius: 50%; display: inline-block; flex: none; background: var(--disabled-text-color, #999); }
  .dot.ok, .state-running { background: var(--success-color); }
  .dot.warn, .state-paused, .state-created { background: var(--warning-color); }
  .dot.bad, .state-failed { background: var(--error-color); }
  .state-stopped { background: var(--disabled-text-color, #999); }
  .chip {
    display: inline-flex; align-items: center; gap: 6px; padding: 2px 10px; border-radius: 12px; font-size: 0.8rem;
    /* A chip is one word or two: it wraps as a whole, never inside, so rows of chips stay even. */
    white-space: nowrap; line-height: 1.5; flex: none;
    background: color-mix(in srgb, var(--primary-text-color) 8%, transparent);
  }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 8px 0; }
  dt { color: var(--secondary-text-color); }
  dd { margin: 0; overflow-wrap: anywhere; }
  .empty { padding: 24px; text-align: center; color: var(--secondary-text-color); }
`;
