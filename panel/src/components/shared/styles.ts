// Styles shared by the views: cards, buttons, state colours, all from HA theme variables with
// fallbacks, so the panel looks native in light and dark themes. Cards follow ha-card (12 px
// radius, a 1 px divider-coloured border and no shadow unless the theme sets one, 16 px padding),
// spacing the 8/16 px grid, buttons HA's rounded ones with an icon before the label.
import { css } from 'lit';

export const baseStyles = css`
  :host { display: block; color: var(--primary-text-color); }
  .card {
    background: var(--ha-card-background, var(--card-background-color, #fff));
    color: var(--primary-text-color);
    border-radius: var(--ha-card-border-radius, 12px);
    border: var(--ha-card-border-width, 1px) solid var(--ha-card-border-color, var(--divider-color, #e0e0e0));
    box-shadow: var(--ha-card-box-shadow, none);
    padding: 16px;
    box-sizing: border-box;
    min-width: 0;
  }
  /* ha-card's actions row: a divider above, the buttons at the end. */
  .card-actions { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; margin: 16px -16px -16px; padding: 8px 16px; border-top: 1px solid var(--divider-color); }
  .grid { display: grid; gap: 16px; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); }
  @media (max-width: 600px) { .grid { gap: 8px; grid-template-columns: 1fr; } }
  .muted { color: var(--secondary-text-color); }
  .small { font-size: 0.85rem; }
  .error { color: var(--error-color); }
  .row { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
  .spacer { flex: 1; }
  /* HA's card header: regular weight, slightly tightened, sized for a card in a grid. */
  h2 { font-size: 20px; font-weight: 400; letter-spacing: -0.012em; line-height: 28px; margin: 0; overflow-wrap: anywhere; }
  button {
    font: inherit; font-size: 14px; font-weight: 500; cursor: pointer; border-radius: 18px; padding: 0 16px;
    border: 1px solid var(--divider-color); background: transparent; color: var(--primary-color);
    min-height: 36px; display: inline-flex; align-items: center; justify-content: center; gap: 8px; --wz-icon-size: 18px;
  }
  button:has(> wz-icon:first-child) { padding-left: 12px; }
  button.icon { padding: 0; width: 40px; min-height: 40px; border-radius: 50%; border: none; color: var(--secondary-text-color); --wz-icon-size: 24px; }
  button:hover:not([disabled]) { background: color-mix(in srgb, var(--primary-color) 10%, transparent); }
  button:focus-visible { outline: 2px solid var(--primary-color); outline-offset: 2px; }
  button[disabled] { opacity: 0.5; cursor: default; }
  button.primary { background: var(--primary-color); border-color: var(--primary-color); color: var(--text-primary-color, #fff); }
  button.primary:hover:not([disabled]) { background: color-mix(in srgb, var(--primary-color) 88%, #000); }
  button.danger { color: var(--error-color); border-color: var(--error-color); }
  .dot { width: 10px; height: 10px; border-radius: 50%; display: inline-block; flex: none; background: var(--disabled-text-color, #999); }
  .dot.ok, .state-running { background: var(--success-color); }
  .dot.warn, .state-paused, .state-created { background: var(--warning-color); }
  .dot.bad, .state-failed { background: var(--error-color); }
  .state-stopped { background: var(--disabled-text-color, #999); }
  .chip {
    display: inline-flex; align-items: center; gap: 4px; padding: 2px 10px; border-radius: 8px; font-size: 12px; font-weight: 500; --wz-icon-size: 16px;
    /* A chip is one word or two: it wraps as a whole, never inside, so rows of chips stay even. */
    white-space: nowrap; line-height: 1.5; flex: none;
    background: color-mix(in srgb, var(--primary-text-color) 8%, transparent);
  }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 8px 0; }
  dt { color: var(--secondary-text-color); }
  dd { margin: 0; overflow-wrap: anywhere; }
  .empty { padding: 24px; text-align: center; color: var(--secondary-text-color); }
`;
