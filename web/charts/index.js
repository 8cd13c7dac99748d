// Chart helpers for widgets: one small class per chart type. Each draws into a <figure> it
// appends to a host element, keeps a text alternative up to date, updates with update()
// (no animation) and is released with destroy().
export { BaseChart, COLORS, SERIES_COLORS, axis, niceLimits, sameParts, sampleIndices } from './base-chart.js';
export { LineChart } from './line-chart.js';
export { ScatterFit } from './scatter-fit.js';
export { CurveChart } from './curve-chart.js';
export { HeatmapChart } from './heatmap-chart.js';

