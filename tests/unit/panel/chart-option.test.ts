// The spend chart's ECharts option and its spoken summary, from the series and HA's theme.
import { describe, expect, it } from 'vitest';
import { chartSummary, FALLBACK_SERIES, lineChartOption, readTheme, type Series } from '../../../panel/src/components/views/chart-option.ts';

const usd = (v: number) => `$${v.toFixed(2)}`;
const DAY = 86_400_000;
const t0 = Date.UTC(2026, 0, 1, 12);
const series: Series[] = [
  { key: 'anthropic', points: [{ t: t0 + DAY, v: 0.2 }, { t: t0, v: 0.1 }] },
  { key: 'openai', points: [{ t: t0, v: 0.05 }] },
];

/** A computed style with only these variables set. */
const style = (vars: Record<string, string>) => ({ getPropertyValue: (name: string) => vars[name] ?? '' });

describe('readTheme', () => {
  it("takes HA's colours, the primary colour first, and HA's graph colours where the theme sets them", () => {
    const dark = readTheme(style({ '--primary-color': '#ff0000', '--primary-text-color': '#e1e1e1', '--divider-color': 'rgba(225, 225, 225, 0.12)', '--graph-color-2': '#00ff00' }));
    expect(dark.text).toBe('#e1e1e1');
    expect(dark.divider).toBe('rgba(225, 225, 225, 0.12)');
    expect(dark.series.slice(0, 3)).toEqual(['#ff0000', '#00ff00', FALLBACK_SERIES[1]]);
    expect(readTheme(style({})).series[0]).toBe('#03a9f4');
  });
});

describe('lineChartOption', () => {
  const theme = readTheme(style({ '--primary-color': '#03a9f4', '--secondary-text-color': '#727272', '--divider-color': '#ddd' }));
  const option = lineChartOption(series, theme, usd);

  it('draws one line per series, its points in time order, in the theme colours', () => {
    expect(option.series).toEqual([
      expect.objectContaining({ type: 'line', name: 'anthropic', data: [[t0, 0.1], [t0 + DAY, 0.2]], showSymbol: false }),
      // A single point has no line to draw: its symbol shows it.
      expect.objectContaining({ type: 'line', name: 'openai', data: [[t0, 0.05]], showSymbol: true }),
    ]);
    expect(option.color).toEqual(['#03a9f4', FALLBACK_SERIES[0]]);
  });

  it('labels the value axis with the format and colours axes and grid from the theme', () => {
    const y = option.yAxis as { axisLabel: { formatter: (v: number) => string; color: string }; splitLine: { lineStyle: { color: string } } };
    expect(y.axisLabel.formatter(0.5)).toBe('$0.50');
    expect(y.axisLabel.color).toBe('#727272');
    expect(y.splitLine.lineStyle.color).toBe('#ddd');
    const tooltip = option.tooltip as { valueFormatter: (v: unknown) => string };
    expect(tooltip.valueFormatter(1.234)).toBe('$1.23');
  });
});

describe('chartSummary', () => {
  it('says each series total and latest value over the period', () => {
    const day = (t: number) => new Date(t).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
    expect(chartSummary('Spend per provider', series, usd)).toBe(
      `Spend per provider, ${day(t0)} to ${day(t0 + DAY)}: anthropic $0.30 in total, $0.20 on ${day(t0 + DAY)}; openai $0.05 in total, $0.05 on ${day(t0)}.`,
    );
    expect(chartSummary('Spend per agent', [], usd)).toBe('Spend per agent: no data for this period.');
  });
});
