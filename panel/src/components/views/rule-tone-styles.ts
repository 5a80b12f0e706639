// The colours of evaluation outcomes, from HA's theme variables: what ran (success), what failed
// (error), what was held back (warning), what did not match (neutral), a dynamic agent's own step
// (info). Chips are tinted; `.solid` markers are filled where something happened, so a firing
// stands out in a row of filtered messages even before its glyph is read.
import { css } from 'lit';

export const toneStyles = css`
  .tone-ok { --tone: var(--success-color, #43a047); }
  .tone-bad { --tone: var(--error-color, #db4437); }
  .tone-warn { --tone: var(--warning-color, #ffa600); }
  .tone-skip { --tone: var(--secondary-text-color, #727272); }
  .tone-info { --tone: var(--info-color, var(--primary-color, #03a9f4)); }
  .chip[class*='tone-'] {
    background: color-mix(in srgb, var(--tone) 16%, transparent);
    box-shadow: inset 0 0 0 1px color-mix(in srgb, var(--tone) 55%, transparent);
  }
`;
