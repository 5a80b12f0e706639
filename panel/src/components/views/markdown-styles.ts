// Typography for rendered Markdown inside chat bubbles: compact, themed, and code that scrolls
// instead of widening the bubble on a phone.
import { css } from 'lit';

export const markdownStyles = css`
  .markdown p { margin: 0 0 8px; }
  .markdown > :last-child { margin-bottom: 0; }
  .markdown .h { font-weight: 600; margin: 8px 0 4px; }
  .markdown .h1 { font-size: 1.2rem; }
  .markdown .h2 { font-size: 1.1rem; }
  .markdown ul, .markdown ol { margin: 0 0 8px; padding-left: 20px; }
  .markdown code {
    font-family: var(--code-font-family, ui-monospace, monospace); font-size: 0.9em;
    background: color-mix(in srgb, var(--primary-text-color) 8%, transparent); padding: 1px 4px; border-radius: 4px;
  }
  .markdown pre { overflow-x: auto; margin: 0 0 8px; padding: 8px; border-radius: 6px; background: color-mix(in srgb, var(--primary-text-color) 8%, transparent); }
  .markdown pre code { background: none; padding: 0; }
  .markdown blockquote { margin: 0 0 8px; padding-left: 10px; border-left: 3px solid var(--divider-color); color: var(--secondary-text-color); }
  .markdown a { color: var(--primary-color); }
  .markdown table.columns { border-collapse: collapse; margin: 0 0 8px; }
  .markdown table.columns td { padding: 2px 12px 2px 0; vertical-align: top; }
  .markdown table.columns td:first-child { font-family: var(--code-font-family, ui-monospace, monospace); font-size: 0.9em; white-space: nowrap; }
  .markdown .table-scroll { overflow-x: auto; margin: 0 0 8px; }
  .markdown table.md-table { border-collapse: collapse; }
  .markdown table.md-table th, .markdown table.md-table td { padding: 4px 8px; border-bottom: 1px solid var(--divider-color); text-align: left; }
  .markdown table.md-table th { font-weight: 500; }
  .markdown li.task { list-style: none; margin-left: -20px; }
  .markdown blockquote > :last-child { margin-bottom: 0; }
  .markdown hr { border: none; border-top: 1px solid var(--divider-color); }
`;
