// What both cards share: HA's card look through its theme variables (with the defaults of HA's
// light theme, for a page that sets none), so a card follows the dashboard's theme.
import { css } from 'lit';

export const cardStyles = css`
  :host { display: block; }
  ha-card {
    display: block;
    background: var(--ha-card-background, var(--card-background-color, #fff));
    color: var(--primary-text-color, #212121);
    border-radius: var(--ha-card-border-radius, 12px);
    border: var(--ha-card-border-width, 1px) solid var(--ha-card-border-color, var(--divider-color, #e0e0e0));
    font-family: var(--ha-font-family-body, Roboto, Noto, sans-serif);
    overflow: hidden;
  }
  .header {
    padding: 12px 16px 4px;
    font-size: var(--ha-card-header-font-size, 1.5rem);
    line-height: 2rem;
    color: var(--ha-card-header-color, var(--primary-text-color, #212121));
  }
  .content { padding: 8px 16px 16px; }
  .muted { color: var(--secondary-text-color, #727272); }
  .error { color: var(--error-color, #db4437); }
  button {
    font: inherit;
    border: none;
    border-radius: 18px;
    padding: 0 16px;
    height: 36px;
    background: var(--primary-color, #03a9f4);
    color: var(--text-primary-color, #fff);
    cursor: pointer;
  }
  button:disabled { opacity: 0.5; cursor: default; }
`;
