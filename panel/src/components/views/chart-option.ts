// What the spend chart shows, as pure data: the ECharts option built from the series and the
// theme's colours, and the sentence a screen reader hears instead of the picture. Kept apart from
// the element so it is tested without a browser and without loading ECharts.
import type { LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';

export interface Series {
  key: string;
  points: { t: number; v: number }[];
}

export type LineChartOption = ComposeOption<LineSeriesOption | GridComponentOption | TooltipComponentOption>;

/** The colours a chart takes from Home Assistant's theme (resolved values, not var() references). */
export interface ChartTheme {
  text: string;
  secondaryText: string;
  divider: string;
  background: string;
  font: string;
  /** One colour per series, in order: HA's --graph-color-N where the theme sets them. */
  series: string[];
}

// HA's own default graph colours after the theme's primary colour, for themes without --graph-color-N.
export const FALLBACK_SERIES = ['#ff9800', '#4caf50', '#e91e63', '#9c27b0', '#795548', '#607d8b'];

/** Reads the theme from the element's computed style (CSS variables are inherited into it). */
export function readTheme(style: Pick<CSSStyleDeclaration, 'getPropertyValue'>): ChartTheme {
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const primary = v('--primary-color', '#03a9f4');
  const graph = Array.from({ length: 7 }, (_, i) => v(`--graph-color-${i + 1}`, i === 0 ? primary : (FALLBACK_SERIES[i - 1] ?? primary)));
  return {
    text: v('--primary-text-color', '#212121'),
    secondaryText: v('--secondary-text-color', '#727272'),
    divider: v('--divider-color', 'rgba(0, 0, 0, 0.12)'),
    background: v('--card-background-color', '#ffffff'),
    font: v('--paper-font-body1_-_font-family', 'Roboto, system-ui, sans-serif'),
    series: graph,
  };
}

const sorted = (s: Series) => s.points.slice().sort((a, b) => a.t - b.t);

export function lineChartOption(series: Series[], theme: ChartTheme, format: (v: number) => string): LineChartOption {
  const day = (t: number) => new Date(t).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  const label = { color: theme.secondaryText, fontFamily: theme.font, fontSize: 11 };
  return {
    animation: false,
    color: series.map((_, i) => theme.series[i % theme.series.length] ?? theme.text),
    textStyle: { fontFamily: theme.font, color: theme.text },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v) => (typeof v === 'number' ? format(v) : String(v)),
      backgroundColor: theme.background,
      borderColor: theme.divider,
      textStyle: { color: theme.text, fontFamily: theme.font },
    },
    xAxis: {
      type: 'time',
      axisLine: { lineStyle: { color: theme.divider } },
      axisTick: { show: false },
      axisLabel: { ...label, hideOverlap: true, formatter: (t: number) => day(t) },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      min: 0,
      splitNumber: 3,
      axisLabel: { ...label, formatter: (v: number) => format(v) },
      splitLine: { lineStyle: { color: theme.divider, type: 'dashed' } },
    },
    series: series.map((s) => ({
      type: 'line',
      name: s.key,
      data: sorted(s).map((p) => [p.t, p.v]),
      showSymbol: s.points.length <= 1,
      symbolSize: 6,
      lineStyle: { width: 2 },
      emphasis: { focus: 'series' },
    })),
  };
}

/** What the chart says in words: each series' total and its latest value, over the period shown. */
export function chartSummary(label: string, series: Series[], format: (v: number) => string): string {
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return `${label}: no data for this period.`;
  const day = (t: number) => new Date(t).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  const from = Math.min(...all.map((p) => p.t));
  const to = Math.max(...all.map((p) => p.t));
  const parts = series.map((s) => {
    const total = s.points.reduce((sum, p) => sum + p.v, 0);
    const last = sorted(s).at(-1);
    return `${s.key} ${format(total)} in total${last ? `, ${format(last.v)} on ${day(last.t)}` : ''}`;
  });
  return `${label}, ${day(from)} to ${day(to)}: ${parts.join('; ')}.`;
}
