// ScatterFit: data points, a fitted line (or curve) through them, optional residual segments,
// optional draggable points (pointer or keyboard) reported through a callback.

import { BaseChart, axis, COLORS, finiteOrNaN, sampleIndices } from './base-chart.js';
import { formatShort } from '../widgets/format.js';

const HIT_RADIUS = 14; // px: how close a pointer must be to grab a point

export class ScatterFit extends BaseChart {
  /**
   * @param {HTMLElement} host
   * @param {object} o
   * @param {string} [o.label]
   * @param {string} [o.xLabel] [o.yLabel]
   * @param {number} o.xMin o.xMax o.yMin o.yMax   axis limits (fixed, so dragging is stable)
   * @param {boolean} [o.residuals]   draw a segment from each point to the fit
   * @param {(index:number, x:number, y:number, phase:'start'|'move'|'end'|'key')=>void} [o.onDrag]
   *   when given, points can be dragged (and moved with the keyboard: Tab to the chart,
   *   n / p to choose a point, arrow keys to move it)
   */
  constructor(host, { label = 'Data and fitted line', xLabel = 'x', yLabel = 'y',
    xMin, xMax, yMin, yMax, residuals = false, onDrag } = {}) {
    super(host, { label });
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.residuals = residuals;
    this.onDrag = onDrag;
    this.selected = -1;
    this._fitFn = null;
    const residualPlugin = {
      id: 'glResiduals',
      beforeDatasetsDraw: (chart) => this._drawResiduals(chart),
    };
    this._create({
      type: 'scatter',
      datasets: [
        { label: 'data', data: [], backgroundColor: COLORS.blue, borderColor: '#fff',
          borderWidth: 1, pointRadius: 5, pointStyle: 'circle', order: 1, sorted: false },
        { label: 'fit', type: 'line', data: [], borderColor: COLORS.orange, borderWidth: 2.5,
          pointRadius: 0, showLine: true, order: 2 },
      ],
      scales: {
        x: axis({ title: xLabel, min: xMin, max: xMax }),
        y: axis({ title: yLabel, min: yMin, max: yMax }),
      },
      plugins: [residualPlugin],
    });
    if (onDrag) this._enableDrag();
  }

  /** Replace the data points. */
  setPoints(xs, ys) {
    const data = new Array(xs.length);
    for (let i = 0; i < xs.length; i += 1) data[i] = { x: finiteOrNaN(xs[i]), y: finiteOrNaN(ys[i]) };
    this.chart.data.datasets[0].data = data;
    this._applySelection();
  }

  /** The current points as {xs, ys} (copies). */
  points() {
    const data = this.chart.data.datasets[0].data;
    return { xs: data.map((p) => p.x), ys: data.map((p) => p.y) };
  }

  /**
   * Set the fit: a function x -> y (sampled across the x axis, n samples), or explicit arrays.
   * @param {((x:number)=>number) | {xs: ArrayLike<number>, ys: ArrayLike<number>}} fit
   */
  setFit(fit, n = 100) {
    const data = [];
    this.fitText = ''; // setLine() describes straight lines
    if (typeof fit === 'function') {
      this._fitFn = fit;
      const { min, max } = this._xRange();
      for (let k = 0; k < n; k += 1) {
        const x = min + ((max - min) * k) / (n - 1);
        data.push({ x, y: finiteOrNaN(fit(x)) });
      }
    } else if (fit) {
      this._fitFn = null;
      for (let k = 0; k < fit.xs.length; k += 1) data.push({ x: fit.xs[k], y: finiteOrNaN(fit.ys[k]) });
    }
    this.chart.data.datasets[1].data = data;
  }

  /** Set the fit to the straight line y = slope * x + intercept. */
  setLine(slope, intercept) {
    this.setFit((x) => slope * x + intercept, 2);
    this.fitText = `y = ${formatShort(slope)} x + ${formatShort(intercept)}`;
  }

  setResiduals(flag) {
    this.residuals = Boolean(flag);
  }

  _xRange() {
    const s = this.chart.options.scales.x;
    if (Number.isFinite(s.min) && Number.isFinite(s.max)) return { min: s.min, max: s.max };
    const xs = this.chart.data.datasets[0].data.map((p) => p.x).filter(Number.isFinite);
    if (!xs.length) return { min: 0, max: 1 };
    return { min: Math.min(...xs), max: Math.max(...xs) };
  }

  _fitAt(x) {
    if (this._fitFn) return this._fitFn(x);
    const line = this.chart.data.datasets[1].data; // linear interpolation of explicit fit
    for (let k = 1; k < line.length; k += 1) {
      if (x <= line[k].x) {
        const a = line[k - 1];
        const b = line[k];
        return a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x || 1);
      }
    }
    return NaN;
  }

  _drawResiduals(chart) {
    if (!this.residuals || !chart.data.datasets[1].data.length) return;
    const { ctx, scales: { x: sx, y: sy }, chartArea } = chart;
    ctx.save();
    ctx.beginPath();
    ctx.rect(chartArea.left, chartArea.top, chartArea.width, chartArea.height);
    ctx.clip();
    ctx.strokeStyle = 'rgba(176, 0, 32, 0.7)';
    ctx.lineWidth = 1.5;
    ctx.setLineDash([3, 3]);
    for (const p of chart.data.datasets[0].data) {
      const fy = this._fitAt(p.x);
      if (!Number.isFinite(p.x) || !Number.isFinite(p.y) || !Number.isFinite(fy)) continue;
      const px = sx.getPixelForValue(p.x);
      ctx.beginPath();
      ctx.moveTo(px, sy.getPixelForValue(p.y));
      ctx.lineTo(px, sy.getPixelForValue(fy));
      ctx.stroke();
    }
    ctx.restore();
  }

  _applySelection() {
    const ds = this.chart.data.datasets[0];
    const n = ds.data.length;
    if (this.selected >= n) this.selected = n - 1;
    ds.pointRadius = ds.data.map((_, i) => (i === this.selected ? 8 : 5));
    ds.backgroundColor = ds.data.map((_, i) => (i === this.selected ? COLORS.purple : COLORS.blue));
  }

  _nearest(px, py) {
    const { x: sx, y: sy } = this.chart.scales;
    let best = -1;
    let bestD = HIT_RADIUS;
    this.chart.data.datasets[0].data.forEach((p, i) => {
      const d = Math.hypot(sx.getPixelForValue(p.x) - px, sy.getPixelForValue(p.y) - py);
      if (d <= bestD) { best = i; bestD = d; }
    });
    return best;
  }

  _moveTo(i, x, y, phase) {
    const s = this.chart.options.scales;
    const clamp = (v, lo, hi) => Math.min(hi ?? Infinity, Math.max(lo ?? -Infinity, v));
    const p = this.chart.data.datasets[0].data[i];
    p.x = clamp(x, s.x.min, s.x.max);
    p.y = clamp(y, s.y.min, s.y.max);
    this.onDrag(i, p.x, p.y, phase);
  }

  _enableDrag() {
    const canvas = this.canvas;
    canvas.tabIndex = 0;
    canvas.classList.add('gl-draggable');
    this.canvas.setAttribute('aria-roledescription', 'interactive chart');
    let dragging = -1;
    const down = (e) => {
      const at = this.eventToData(e);
      if (!at) return;
      const i = this._nearest(at.px, at.py);
      if (i < 0) return;
      dragging = i;
      this.selected = i;
      this._applySelection();
      canvas.setPointerCapture(e.pointerId);
      e.preventDefault();
      this._moveTo(i, at.x, at.y, 'start');
    };
    const move = (e) => {
      if (dragging < 0) return;
      const at = this.eventToData(e, { clampToArea: true });
      this._moveTo(dragging, at.x, at.y, 'move');
    };
    const up = (e) => {
      if (dragging < 0) return;
      const at = this.eventToData(e, { clampToArea: true });
      const i = dragging;
      dragging = -1;
      this._moveTo(i, at.x, at.y, 'end');
    };
    const key = (e) => {
      const data = this.chart.data.datasets[0].data;
      if (!data.length) return;
      if (e.key === 'n' || e.key === 'p') {
        const step = e.key === 'n' ? 1 : -1;
        this.selected = (Math.max(this.selected, 0) + step + data.length) % data.length;
        this._applySelection();
        this.onDrag(this.selected, data[this.selected].x, data[this.selected].y, 'key');
        e.preventDefault();
        return;
      }
      const dirs = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
      if (!dirs[e.key]) return;
      if (this.selected < 0) { this.selected = 0; this._applySelection(); }
      const { x: sx, y: sy } = this.chart.scales;
      const fx = (sx.max - sx.min) / 50;
      const fy = (sy.max - sy.min) / 50;
      const p = data[this.selected];
      this._moveTo(this.selected, p.x + dirs[e.key][0] * fx, p.y + dirs[e.key][1] * fy, 'key');
      e.preventDefault();
    };
    canvas.addEventListener('pointerdown', down);
    canvas.addEventListener('pointermove', move);
    canvas.addEventListener('pointerup', up);
    canvas.addEventListener('pointercancel', up);
    canvas.addEventListener('keydown', key);
    this._cleanup = () => {
      canvas.removeEventListener('pointerdown', down);
      canvas.removeEventListener('pointermove', move);
      canvas.removeEventListener('pointerup', up);
      canvas.removeEventListener('pointercancel', up);
      canvas.removeEventListener('keydown', key);
    };
  }

  summary() {
    const n = this.chart.data.datasets[0].data.length;
    const fit = this.fitText ? `; fitted line ${this.fitText}` : '';
    const drag = this.onDrag ? '. Points can be moved: focus the chart, press n or p to pick a point, arrow keys to move it' : '';
    return `${this.label}: ${n} points${fit}${drag}.`;
  }

  table() {
    const data = this.chart.data.datasets[0].data;
    const rows = sampleIndices(data.length, 50).map((i) => [data[i].x, data[i].y]);
    return { columns: [this.xLabel, this.yLabel], rows };
  }
}
