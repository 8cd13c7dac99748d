// CurveChart: a curve y = f(x), a marked point on it, the tangent line at that point, and the
// path of successive steps (e.g. gradient-descent iterates) drawn as connected dots.

import { BaseChart, axis, COLORS, finiteOrNaN, sampleIndices } from './base-chart.js';
import { formatShort } from '../widgets/format.js';

export class CurveChart extends BaseChart {
  /**
   * @param {HTMLElement} host
   * @param {object} o
   * @param {string} [o.label] [o.xLabel] [o.yLabel]
   * @param {number} o.xMin o.xMax   x range of the curve
   * @param {number} [o.yMin] [o.yMax]  fixed y limits (else automatic)
   * @param {string} [o.curveLabel]  legend text for the curve, default 'f(x)'
   */
  constructor(host, { label = 'Curve', xLabel = 'x', yLabel = 'y', xMin = -1, xMax = 1,
    yMin, yMax, curveLabel = 'f(x)' } = {}) {
    super(host, { label });
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.xMin = xMin;
    this.xMax = xMax;
    this.pointInfo = null;
    this.slope = NaN;
    this._create({
      type: 'scatter',
      datasets: [
        { label: curveLabel, type: 'line', data: [], borderColor: COLORS.blue, borderWidth: 2.5,
          pointRadius: 0, order: 4 },
        { label: 'tangent', type: 'line', data: [], borderColor: COLORS.orange, borderWidth: 2,
          borderDash: [6, 4], pointRadius: 0, order: 3 },
        { label: 'steps', type: 'line', data: [], borderColor: COLORS.purple, borderWidth: 1.5,
          backgroundColor: COLORS.purple, pointRadius: 3.5, order: 2, sorted: false },
        { label: 'point', data: [], backgroundColor: COLORS.red, borderColor: '#fff',
          borderWidth: 2, pointRadius: 7, order: 1 },
      ],
      scales: {
        x: axis({ title: xLabel, min: xMin, max: xMax }),
        y: axis({ title: yLabel, min: yMin, max: yMax }),
      },
    });
  }

  /** Sample f at n points across [xMin, xMax]. Non-finite values leave gaps. */
  setCurve(f, n = 200) {
    const data = new Array(n);
    for (let k = 0; k < n; k += 1) {
      const x = this.xMin + ((this.xMax - this.xMin) * k) / (n - 1);
      data[k] = { x, y: finiteOrNaN(f(x)) };
    }
    this.chart.data.datasets[0].data = data;
  }

  /** Use precomputed curve samples (e.g. from the engine). */
  setCurveData(xs, ys) {
    const data = new Array(xs.length);
    for (let k = 0; k < xs.length; k += 1) data[k] = { x: xs[k], y: finiteOrNaN(ys[k]) };
    this.chart.data.datasets[0].data = data;
  }

  /** Mark the point (x, y); pass NaN to hide it. */
  setPoint(x, y) {
    const ok = Number.isFinite(x) && Number.isFinite(y);
    this.pointInfo = ok ? { x, y } : null;
    this.chart.data.datasets[3].data = ok ? [{ x, y }] : [];
  }

  /**
   * Draw the tangent through (x0, y0) with the given slope, from x0 - halfWidth to x0 + halfWidth
   * (default: a quarter of the x range). A non-finite slope hides it.
   */
  setTangent(x0, y0, slope, halfWidth = (this.xMax - this.xMin) / 4) {
    this.slope = slope;
    if (![x0, y0, slope].every(Number.isFinite)) {
      this.chart.data.datasets[1].data = [];
      return;
    }
    this.chart.data.datasets[1].data = [
      { x: x0 - halfWidth, y: y0 - slope * halfWidth },
      { x: x0 + halfWidth, y: y0 + slope * halfWidth },
    ];
  }

  /** The step path: points (xs[k], ys[k]) joined in order. */
  setPath(xs, ys) {
    const data = [];
    for (let k = 0; k < xs.length; k += 1) {
      if (Number.isFinite(xs[k]) && Number.isFinite(ys[k])) data.push({ x: xs[k], y: ys[k] });
      else break; // a diverged path stops where the numbers stop
    }
    this.chart.data.datasets[2].data = data;
  }

  clearPath() {
    this.chart.data.datasets[2].data = [];
  }

  /** Change the x range (the curve must be set again). */
  setXRange(xMin, xMax) {
    this.xMin = xMin;
    this.xMax = xMax;
    Object.assign(this.chart.options.scales.x, { min: xMin, max: xMax });
  }

  /** Fix or free (undefined) the y limits. */
  setYRange(yMin, yMax) {
    Object.assign(this.chart.options.scales.y, { min: yMin, max: yMax });
  }

  summary() {
    let text = `${this.label}: curve of ${this.yLabel} for ${this.xLabel} from ` +
      `${formatShort(this.xMin)} to ${formatShort(this.xMax)}`;
    if (this.pointInfo) {
      text += `; marked point at ${this.xLabel} = ${formatShort(this.pointInfo.x)}, ` +
        `${this.yLabel} = ${formatShort(this.pointInfo.y)}`;
      if (Number.isFinite(this.slope)) text += `, slope ${formatShort(this.slope)}`;
    }
    const path = this.chart.data.datasets[2].data;
    if (path.length) text += `; ${path.length - 1} steps drawn, ending at ${this.xLabel} = ${formatShort(path[path.length - 1].x)}`;
    return `${text}.`;
  }

  table() {
    const path = this.chart.data.datasets[2].data;
    if (path.length) {
      return { columns: ['step', this.xLabel, this.yLabel],
        rows: sampleIndices(path.length).map((k) => [k, path[k].x, path[k].y]) };
    }
    const curve = this.chart.data.datasets[0].data;
    return { columns: [this.xLabel, this.yLabel],
      rows: sampleIndices(curve.length, 11).map((k) => [curve[k].x, curve[k].y]) };
  }
}
