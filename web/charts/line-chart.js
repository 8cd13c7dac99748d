// LineChart: one or more series against a step count — typically loss vs training step.

import { BaseChart, axis, finiteOrNaN, sampleIndices, SERIES_COLORS } from './base-chart.js';
import { formatShort } from '../widgets/format.js';

export class LineChart extends BaseChart {
  /**
   * @param {HTMLElement} host
   * @param {object} o
   * @param {string} [o.label]     e.g. 'Loss over training steps'
   * @param {string} [o.xLabel]    default 'step'
   * @param {string} [o.yLabel]    default 'loss'
   * @param {boolean} [o.log]      logarithmic y axis (non-positive values are left out)
   * @param {Array<{label:string, color?:string, dashed?:boolean}>} [o.series]
   * @param {number} [o.yMin] [o.yMax] [o.xMax]  fixed axis limits (else automatic)
   */
  constructor(host, { label = 'Loss over training steps', xLabel = 'step', yLabel = 'loss',
    log = false, series = [{ label: 'loss' }], yMin, yMax, xMax } = {}) {
    super(host, { label });
    this.log = log;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.series = series.map((s, i) => ({ ...s, color: s.color ?? SERIES_COLORS[i % SERIES_COLORS.length] }));
    // Steps are whole: ticks at whole numbers (before the first step the axis is 0 … 1, not
    // 0, 0.2, … 1).
    const x = axis({ title: xLabel, min: 0, max: xMax });
    x.ticks.precision = 0;
    this._create({
      type: 'line',
      datasets: this.series.map((s) => ({
        label: s.label,
        data: [],
        borderColor: s.color,
        backgroundColor: s.color,
        borderWidth: 2,
        borderDash: s.dashed ? [6, 4] : [],
        pointRadius: 0,
        tension: 0,
        spanGaps: false,
      })),
      scales: {
        x,
        y: axis({ title: yLabel, type: log ? 'logarithmic' : 'linear', min: yMin, max: yMax }),
      },
      legend: this.series.length > 1,
    });
  }

  _point(x, y) {
    const v = finiteOrNaN(y);
    return { x, y: this.log && !(v > 0) ? NaN : v };
  }

  /**
   * Replace series i with values ys (index k plotted at x = x0 + k*dx, or at xs[k]).
   * @param {number} i
   * @param {ArrayLike<number>} ys
   * @param {{x0?: number, dx?: number, xs?: ArrayLike<number>}} [o]
   */
  setSeries(i, ys, { x0 = 0, dx = 1, xs } = {}) {
    const data = new Array(ys.length);
    for (let k = 0; k < ys.length; k += 1) data[k] = this._point(xs ? xs[k] : x0 + k * dx, ys[k]);
    this.chart.data.datasets[i].data = data;
  }

  /** Append one point (x, y) to series i. */
  append(i, x, y) {
    this.chart.data.datasets[i].data.push(this._point(x, y));
  }

  /** Remove all points from every series. */
  clear() {
    for (const d of this.chart.data.datasets) d.data = [];
  }

  /** Switch between linear and logarithmic y axis (keeps the data, and the axis's labelling). */
  setLogScale(log) {
    if (log === this.log) return;
    this.log = log;
    const y = this.chart.options.scales.y;
    const fresh = axis({ type: log ? 'logarithmic' : 'linear' });
    y.type = fresh.type;
    y.afterBuildTicks = fresh.afterBuildTicks;
    y.ticks.callback = fresh.ticks.callback;
    y.ticks.autoSkip = fresh.ticks.autoSkip;
    for (const d of this.chart.data.datasets) {
      d.data = d.data.map((p) => this._point(p.x, p.y));
    }
  }

  /** Fix or free (undefined) the axis limits. */
  setLimits({ xMax, yMin, yMax } = {}) {
    const { x, y } = this.chart.options.scales;
    x.max = xMax;
    y.min = yMin;
    y.max = yMax;
  }

  summary() {
    const parts = this.chart.data.datasets.map((d) => {
      const finite = d.data.filter((p) => Number.isFinite(p.y));
      if (!finite.length) return `${d.label}: no values yet`;
      const first = finite[0];
      const last = finite[finite.length - 1];
      return `${d.label} ${formatShort(first.y)} at ${this.xLabel} ${formatShort(first.x)}, ` +
        `${formatShort(last.y)} at ${this.xLabel} ${formatShort(last.x)}`;
    });
    return `${this.label}${this.log ? ' (log scale)' : ''}: ${parts.join('; ')}.`;
  }

  table() {
    const sets = this.chart.data.datasets;
    const longest = sets.reduce((a, d) => (d.data.length > a.data.length ? d : a), sets[0]);
    const rows = sampleIndices(longest.data.length).map((k) =>
      [longest.data[k].x, ...sets.map((d) => (d.data[k] ? d.data[k].y : NaN))]);
    return { columns: [this.xLabel, ...sets.map((d) => d.label)], rows };
  }
}
