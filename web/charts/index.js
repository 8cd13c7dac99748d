// Chart helpers for widgets: one small class per chart type. Each draws into a <figure> it
// appends to a host element, keeps a text alternative up to date, updates with update()
// (no animation) and is released with destroy().
export { BaseChart, COLORS, SERIES_COLORS, axis, sampleIndices } from './base-chart.js';
export { LineChart } from './line-chart.js';
export { ScatterFit } from './scatter-fit.js';
export { CurveChart } from './curve-chart.js';
export { HeatmapChart } from './heatmap-chart.js';

import { LineChart } from './line-chart.js';

/**
 * Draws one small line chart off screen and throws it away.
 * NOTE: a page's first chart costs 3-4x what later ones do (Chart.js's code runs cold, its
 * option resolvers are built per chart type), and that chart is part of the first widget's
 * set-up, which waits for the engine anyway. Called while the engine compiles, this moves that
 * one-time cost into the wait.
 */
export function warmUpCharts() {
  // Off screen, out of flow and contained, so laying it out touches nothing else.
  const host = document.createElement('div');
  Object.assign(host.style, { position: 'fixed', left: '-10000px', top: '0', width: '320px',
    height: '200px', contain: 'strict', visibility: 'hidden' });
  host.setAttribute('aria-hidden', 'true');
  document.body.append(host);
  try {
    const c = new LineChart(host, { label: 'warm-up', series: [{ label: 'a' }, { label: 'b' }] });
    c.setSeries(0, [3, 2, 1.5, 1.2]);
    c.setSeries(1, [2, 1, 0.5, 0.2]);
    c.update();
    c.destroy();
  } finally {
    host.remove();
  }
}
