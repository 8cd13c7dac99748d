// Two small charts used by the network lessons (backpropagation, attribution):
//
//   BarChart       one bar per category (layers, input features), one or more series side by
//                  side, linear or logarithmic value axis. Negative values are allowed on the
//                  linear axis; on the log axis values <= 0 are left out (no bar).
//   BoundaryChart  a classifier's predicted probability over a 2-D input plane as a colour image
//                  (orange = class 0, blue = class 1, pale = unsure), the p = 0.5 boundary as a
//                  dark line, and the data points on top (orange circles = class 0, blue
//                  triangles = class 1), one of them optionally ringed.
//
// Both follow web/charts/base-chart.js: a <figure> with a canvas whose aria-label is a one-line
// summary, a hidden table of the numbers, update() once per frame, destroy() on disconnect.

import { Chart, BarController, BarElement, CategoryScale } from 'chart.js';
import { BaseChart, axis, COLORS, finiteOrNaN, sampleIndices, SERIES_COLORS } from '../charts/base-chart.js';
import { formatShort } from './format.js';

Chart.register(BarController, BarElement, CategoryScale);

export class BarChart extends BaseChart {
  /**
   * @param {HTMLElement} host
   * @param {object} o
   * @param {string} o.label           what the chart shows
   * @param {string[]} o.categories    one label per bar group
   * @param {Array<{label:string, color?:string}>} [o.series]
   * @param {string} [o.xLabel] [o.yLabel]
   * @param {boolean} [o.log]          logarithmic value axis
   */
  constructor(host, { label, categories = [], series = [{ label: 'value' }], xLabel = '', yLabel = '',
    log = false } = {}) {
    super(host, { label });
    this.log = log;
    this.xLabel = xLabel;
    this.series = series.map((s, i) => ({ ...s, color: s.color ?? SERIES_COLORS[i % SERIES_COLORS.length] }));
    const valueAxis = axis({ title: yLabel, type: log ? 'logarithmic' : 'linear' });
    if (!log) valueAxis.beginAtZero = true;
    else {
      // Label powers of ten only (a log axis otherwise crowds 0.05, 0.01, 0.005 … together).
      const power = (v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9;
      valueAxis.ticks.callback = (v, _, ticks) =>
        (power(v) || ticks.filter((t) => power(t.value)).length < 2 ? formatShort(v) : '');
    }
    this._create({
      type: 'bar',
      datasets: this.series.map((s) => ({ label: s.label, data: [], parsing: true,
        backgroundColor: s.color, borderColor: s.color, borderWidth: 1 })),
      scales: { x: { ...axis({ title: xLabel, grid: false }), type: 'category' }, y: valueAxis },
      legend: this.series.length > 1,
    });
    this.setCategories(categories);
  }

  setCategories(categories) {
    this.categories = [...categories];
    this.chart.data.labels = this.categories;
  }

  /** Values of series i, one per category. */
  setValues(i, values) {
    this.chart.data.datasets[i].data = Array.from(values, (v) => {
      const f = finiteOrNaN(v);
      return this.log && !(f > 0) ? null : (Number.isNaN(f) ? null : f);
    });
  }

  _value(i, k) {
    const v = this.chart.data.datasets[i].data[k];
    return v === null || v === undefined ? NaN : v;
  }

  summary() {
    const parts = this.series.map((s, i) => {
      const cells = this.categories.map((c, k) => `${c} ${formatShort(this._value(i, k))}`);
      return `${this.series.length > 1 ? `${s.label}: ` : ''}${cells.join(', ')}`;
    });
    return `${this.label}${this.log ? ' (log scale)' : ''}: ${parts.join('; ')}.`;
  }

  table() {
    return {
      columns: [this.xLabel || 'item', ...this.series.map((s) => s.label)],
      rows: this.categories.map((c, k) => [c, ...this.series.map((_, i) => this._value(i, k))]),
    };
  }
}

// Probability -> colour: orange (class 0) through near-white (0.5) to blue (class 1).
const LOW = [240, 178, 132];
const MID = [248, 248, 248];
const HIGH = [140, 178, 232];
function probabilityColor(p) {
  const t = Math.min(1, Math.max(0, p));
  const [a, b, f] = t < 0.5 ? [LOW, MID, t / 0.5] : [MID, HIGH, (t - 0.5) / 0.5];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

export class BoundaryChart extends BaseChart {
  /**
   * @param {HTMLElement} host
   * @param {object} o
   * @param {string} [o.label]
   * @param {number} o.min o.max   extent of both axes (a square plane)
   * @param {(x:number, y:number)=>void} [o.onPick]  click on the plane
   */
  constructor(host, { label = 'Decision boundary', min = -6.5, max = 6.5, onPick } = {}) {
    super(host, { label, square: true });
    this.extent = { min, max };
    this.grid = null;
    this.onPick = onPick;
    this.accuracy = NaN;
    this._image = document.createElement('canvas');
    this._segments = [];
    const plugin = { id: 'glBoundary', beforeDatasetsDraw: (chart) => this._drawImage(chart) };
    this._create({
      type: 'scatter',
      datasets: [
        { label: 'class 0', data: [], backgroundColor: COLORS.orange, borderColor: '#ffffff',
          borderWidth: 1, pointRadius: 4, pointStyle: 'circle', order: 2 },
        { label: 'class 1', data: [], backgroundColor: COLORS.blue, borderColor: '#ffffff',
          borderWidth: 1, pointRadius: 5, pointStyle: 'triangle', order: 2 },
        { label: 'chosen example', data: [], backgroundColor: 'rgba(0,0,0,0)', borderColor: COLORS.ink,
          borderWidth: 3, pointRadius: 10, order: 1 },
      ],
      scales: {
        x: axis({ title: 'x₁', min, max, grid: false }),
        y: axis({ title: 'x₂', min, max, grid: false }),
      },
      plugins: [plugin],
    });
    if (onPick) {
      const down = (e) => {
        const at = this.eventToData(e);
        if (at) onPick(at.x, at.y);
      };
      this.canvas.addEventListener('pointerdown', down);
      this._cleanup = () => this.canvas.removeEventListener('pointerdown', down);
    }
  }

  /** Data points: xs (rows × 2, flat) and labels (0 / 1). */
  setPoints(x, labels) {
    const zero = [];
    const one = [];
    for (let i = 0; i < labels.length; i += 1) {
      const p = { x: finiteOrNaN(x[2 * i]), y: finiteOrNaN(x[2 * i + 1]) };
      (labels[i] > 0.5 ? one : zero).push(p);
    }
    this.chart.data.datasets[0].data = zero;
    this.chart.data.datasets[1].data = one;
  }

  /** Ring one point (null: none). */
  setChosen(point) {
    this.chart.data.datasets[2].data = point ? [{ x: point[0], y: point[1] }] : [];
  }

  /** Probabilities on an n × n grid; row r at y = min + r·step (row 0 at the bottom). */
  setGrid(probabilities, n) {
    this.grid = { values: probabilities, n };
    this._image.width = n;
    this._image.height = n;
    const ctx = this._image.getContext('2d');
    const img = ctx.createImageData(n, n);
    for (let r = 0; r < n; r += 1) {
      for (let c = 0; c < n; c += 1) {
        const v = probabilities[r * n + c];
        const rgb = Number.isFinite(v) ? probabilityColor(v) : [154, 163, 173];
        const o = ((n - 1 - r) * n + c) * 4;
        img.data[o] = rgb[0];
        img.data[o + 1] = rgb[1];
        img.data[o + 2] = rgb[2];
        img.data[o + 3] = 255;
      }
    }
    ctx.putImageData(img, 0, 0);
    this._segments = this._boundary(probabilities, n);
  }

  /** Line segments where the probability crosses 0.5 (marching squares, one level). */
  _boundary(v, n) {
    const { min, max } = this.extent;
    const d = (max - min) / (n - 1);
    const out = [];
    const f = (p, q) => (0.5 - p) / (q - p);
    for (let r = 0; r < n - 1; r += 1) {
      for (let c = 0; c < n - 1; c += 1) {
        const a = v[r * n + c];
        const b = v[r * n + c + 1];
        const e = v[(r + 1) * n + c + 1];
        const g = v[(r + 1) * n + c];
        const x0 = min + c * d;
        const y0 = min + r * d;
        const pts = [];
        if ((a > 0.5) !== (b > 0.5)) pts.push([x0 + f(a, b) * d, y0]);
        if ((b > 0.5) !== (e > 0.5)) pts.push([x0 + d, y0 + f(b, e) * d]);
        if ((g > 0.5) !== (e > 0.5)) pts.push([x0 + f(g, e) * d, y0 + d]);
        if ((a > 0.5) !== (g > 0.5)) pts.push([x0, y0 + f(a, g) * d]);
        if (pts.length >= 2) out.push(...pts[0], ...pts[1]);
        if (pts.length === 4) out.push(...pts[2], ...pts[3]);
      }
    }
    return out;
  }

  _drawImage(chart) {
    if (!this.grid) return;
    const { ctx, chartArea: area, scales: { x: sx, y: sy } } = chart;
    const { min, max } = this.extent;
    const half = (max - min) / (this.grid.n - 1) / 2;
    const left = sx.getPixelForValue(min - half);
    const right = sx.getPixelForValue(max + half);
    const top = sy.getPixelForValue(max + half);
    const bottom = sy.getPixelForValue(min - half);
    ctx.save();
    ctx.beginPath();
    ctx.rect(area.left, area.top, area.width, area.height);
    ctx.clip();
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this._image, left, top, right - left, bottom - top);
    const s = this._segments;
    if (s.length) {
      ctx.strokeStyle = COLORS.ink;
      ctx.lineWidth = 2;
      ctx.beginPath();
      for (let i = 0; i < s.length; i += 4) {
        ctx.moveTo(sx.getPixelForValue(s[i]), sy.getPixelForValue(s[i + 1]));
        ctx.lineTo(sx.getPixelForValue(s[i + 2]), sy.getPixelForValue(s[i + 3]));
      }
      ctx.stroke();
    }
    ctx.restore();
  }

  summary() {
    const zero = this.chart.data.datasets[0].data.length;
    const one = this.chart.data.datasets[1].data.length;
    let text = `${this.label}: ${zero} points of class 0 (orange circles) and ${one} of class 1 ` +
      '(blue triangles) over x₁ and x₂; the background is the network\'s probability of class 1 ' +
      '(blue = class 1, orange = class 0) and the dark line is where it equals 0.5';
    if (Number.isFinite(this.accuracy)) text += `; ${formatShort(this.accuracy * 100)}% of the points are on the correct side`;
    const chosen = this.chart.data.datasets[2].data[0];
    if (chosen) text += `; ringed example at (${formatShort(chosen.x)}, ${formatShort(chosen.y)})`;
    if (this.onPick) text += '. Click a point to follow it in the chain below';
    return `${text}.`;
  }

  table() {
    const rows = [];
    for (const [k, label] of [[0, 0], [1, 1]]) {
      const data = this.chart.data.datasets[k].data;
      for (const i of sampleIndices(data.length, 15)) rows.push([data[i].x, data[i].y, label]);
    }
    return { columns: ['x₁', 'x₂', 'class'], rows };
  }
}
