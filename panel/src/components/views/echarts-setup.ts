// ECharts as the spend chart needs it and no more: the core, line series, grid and tooltip, drawn
// in SVG (crisp at any zoom; its text is in the DOM). The legend is the element's own HTML, which
// wraps on a phone and follows the theme by itself. Imported only from line-chart.ts with
// import(), so Vite puts it in its own chunk, fetched when a chart is first shown.
import { LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

use([LineChart, GridComponent, TooltipComponent, SVGRenderer]);

export { init };
