// HeatmapChart: a scalar field over two parameters (a loss landscape) drawn as a colour image
// behind the axes, with optional contour lines, an overlaid path (the optimiser's trajectory)
// and the current point. Clicking or dragging on the plot reports data coordinates.
//
// The grid is `values[r * nx + c]`, with column c at x = xMin + c * (xMax - xMin) / (nx - 1) and
// row r at y = yMin + r * (yMax - yMin) / (ny - 1) (row 0 at the bottom), matching
// Model.landscape() of the engine API.
//
// NOTE: losses span orders of magnitude (a valley of 0.01 next to walls of 1e4), so colours and
// contour levels use a log-like scale t = log(1 + k·u) / log(1 + k) of u = (v − min)/(max − min):
// small differences near the minimum stay visible.

import { BaseChart, axis, COLORS, finiteOrNaN, sampleIndices } from './base-chart.js';
import { formatShort } from '../widgets/format.js';

// Viridis-like anchors: dark (low) to light (high); perceptually ordered, colour-blind safe.
const ANCHORS = [
  [0.0, [68, 1, 84]], [0.25, [59, 82, 139]], [0.5, [33, 145, 140]], [0.75, [94, 201, 98]],
  [1.0, [253, 231, 37]],
];
const LUT = (() => {
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i += 1) {
    const t = i / 255;
    let k = 1;
    while (k < ANCHORS.length - 1 && ANCHORS[k][0] < t) k += 1;
    const [t0, c0] = ANCHORS[k - 1];
    const [t1, c1] = ANCHORS[k];
    const f = (t - t0) / (t1 - t0);
    for (let j = 0; j < 3; j += 1) lut[i * 3 + j] = c0[j] + (c1[j] - c0[j]) * f;
  }
  return lut;
})();
const MISSING = [154, 163, 173]; // colour of cells where the value overflowed

export class HeatmapChart extends BaseChart {
  /**
   * @param {HTMLElement} host
   * @param {object} o
   * @param {string} [o.label] [o.xLabel] [o.yLabel] [o.valueLabel]
   * @param {number} o.xMin o.xMax o.yMin o.yMax   extent of the grid (and axes)
   * @param {'log'|'linear'} [o.colorScale]   default 'log'
   * @param {number} [o.contours]   number of contour levels (0 = none), default 10
   * @param {(x:number, y:number, phase:'start'|'move'|'end'|'key')=>void} [o.onPick]
   *   click/drag on the plot (or arrow keys when the chart has focus)
   */
  constructor(host, { label = 'Loss landscape', xLabel = 'w', yLabel = 'b', valueLabel = 'loss',
    xMin = -1, xMax = 1, yMin = -1, yMax = 1, colorScale = 'log', contours = 10, onPick } = {}) {
    super(host, { label, square: true });
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.valueLabel = valueLabel;
    this.extent = { xMin, xMax, yMin, yMax };
    this.colorScale = colorScale;
    this.contourCount = contours;
    this.onPick = onPick;
    this.grid = null; // { values, nx, ny, min, max, argmin }
    this._image = document.createElement('canvas');
    this._segments = []; // contour segments in data coordinates: [x0, y0, x1, y1, ...]
    const imagePlugin = {
      id: 'glHeatmap',
      beforeDatasetsDraw: (chart) => this._drawImage(chart),
    };
    this._create({
      type: 'scatter',
      datasets: [
        { label: 'path halo', type: 'line', data: [], borderColor: 'rgba(0,0,0,0.55)',
          borderWidth: 4.5, pointRadius: 0, order: 3 },
        { label: 'path', type: 'line', data: [], borderColor: '#ffffff', borderWidth: 2,
          backgroundColor: '#ffffff', pointRadius: 2, pointBorderColor: 'rgba(0,0,0,0.6)',
          order: 2 },
        { label: 'current point', data: [], backgroundColor: COLORS.red, borderColor: '#ffffff',
          borderWidth: 2.5, pointRadius: 7, order: 1 },
      ],
      scales: {
        x: axis({ title: xLabel, min: xMin, max: xMax, grid: false }),
        y: axis({ title: yLabel, min: yMin, max: yMax, grid: false }),
      },
      plugins: [imagePlugin],
    });
    if (onPick) this._enablePick();
  }

  /** Change the extent of grid and axes (call setGrid afterwards with matching values). */
  setExtent({ xMin, xMax, yMin, yMax }) {
    this.extent = { xMin, xMax, yMin, yMax };
    Object.assign(this.chart.options.scales.x, { min: xMin, max: xMax });
    Object.assign(this.chart.options.scales.y, { min: yMin, max: yMax });
  }

  /** Scale a value into [0, 1] for colour and contours. */
  _t(v, min, max) {
    if (!(max > min)) return 0;
    const u = Math.min(1, Math.max(0, (v - min) / (max - min)));
    if (this.colorScale !== 'log') return u;
    const k = 1000;
    return Math.log1p(k * u) / Math.log1p(k);
  }

  /**
   * Set the scalar grid (ny rows × nx columns, row 0 at yMin).
   * @param {ArrayLike<number>} values
   */
  setGrid(values, nx, ny) {
    if (values.length !== nx * ny || nx < 2 || ny < 2) {
      throw new RangeError(`heatmap grid needs nx*ny = ${nx * ny} values (nx, ny >= 2), got ${values.length}`);
    }
    let min = Infinity;
    let max = -Infinity;
    let argmin = -1;
    for (let i = 0; i < values.length; i += 1) {
      const v = values[i];
      if (!Number.isFinite(v)) continue;
      if (v < min) { min = v; argmin = i; }
      if (v > max) max = v;
    }
    this.grid = { values, nx, ny, min, max, argmin };
    const t = new Float64Array(values.length);
    for (let i = 0; i < values.length; i += 1) {
      t[i] = Number.isFinite(values[i]) ? this._t(values[i], min, max) : 1;
    }
    // Colour image: image row 0 is the top, i.e. grid row ny - 1.
    this._image.width = nx;
    this._image.height = ny;
    const ctx = this._image.getContext('2d');
    const img = ctx.createImageData(nx, ny);
    for (let r = 0; r < ny; r += 1) {
      for (let c = 0; c < nx; c += 1) {
        const i = r * nx + c;
        const o = ((ny - 1 - r) * nx + c) * 4;
        const rgb = Number.isFinite(values[i]) ? LUT.subarray(Math.round(t[i] * 255) * 3, Math.round(t[i] * 255) * 3 + 3) : MISSING;
        img.data[o] = rgb[0];
        img.data[o + 1] = rgb[1];
        img.data[o + 2] = rgb[2];
        img.data[o + 3] = 255;
      }
    }
    ctx.putImageData(img, 0, 0);
    this._segments = this.contourCount > 0 ? this._contours(t, nx, ny) : [];
  }

  /** Marching squares over the scaled grid at evenly spaced levels. */
  _contours(t, nx, ny) {
    const { xMin, xMax, yMin, yMax } = this.extent;
    const dx = (xMax - xMin) / (nx - 1);
    const dy = (yMax - yMin) / (ny - 1);
    const out = [];
    const levels = [];
    for (let k = 1; k <= this.contourCount; k += 1) levels.push(k / (this.contourCount + 1));
    for (const level of levels) {
      for (let r = 0; r < ny - 1; r += 1) {
        for (let c = 0; c < nx - 1; c += 1) {
          // corners: a (c, r) b (c+1, r) d (c+1, r+1) e (c, r+1)
          const a = t[r * nx + c];
          const b = t[r * nx + c + 1];
          const d = t[(r + 1) * nx + c + 1];
          const e = t[(r + 1) * nx + c];
          const code = (a > level ? 1 : 0) | (b > level ? 2 : 0) | (d > level ? 4 : 0) | (e > level ? 8 : 0);
          if (code === 0 || code === 15) continue;
          const x0 = xMin + c * dx;
          const y0 = yMin + r * dy;
          const f = (p, q) => (level - p) / (q - p);
          // crossing points on the four edges (bottom, right, top, left)
          const B = () => [x0 + f(a, b) * dx, y0];
          const R = () => [x0 + dx, y0 + f(b, d) * dy];
          const T = () => [x0 + f(e, d) * dx, y0 + dy];
          const L = () => [x0, y0 + f(a, e) * dy];
          const seg = (p, q) => out.push(p[0], p[1], q[0], q[1]);
          const centre = (a + b + d + e) / 4 > level;
          switch (code) {
            case 1: case 14: seg(L(), B()); break;
            case 2: case 13: seg(B(), R()); break;
            case 3: case 12: seg(L(), R()); break;
            case 4: case 11: seg(R(), T()); break;
            case 6: case 9: seg(B(), T()); break;
            case 7: case 8: seg(L(), T()); break;
            case 5: // a and d high: saddle
              if (centre) { seg(L(), T()); seg(B(), R()); } else { seg(L(), B()); seg(R(), T()); }
              break;
            case 10: // b and e high: saddle
              if (centre) { seg(L(), B()); seg(R(), T()); } else { seg(L(), T()); seg(B(), R()); }
              break;
            default: break;
          }
        }
      }
    }
    return out;
  }

  _drawImage(chart) {
    if (!this.grid) return;
    const { ctx, chartArea: area, scales: { x: sx, y: sy } } = chart;
    const { nx, ny } = this.grid;
    const { xMin, xMax, yMin, yMax } = this.extent;
    const hx = (xMax - xMin) / (nx - 1) / 2; // half a cell: pixel centres sit on grid points
    const hy = (yMax - yMin) / (ny - 1) / 2;
    const left = sx.getPixelForValue(xMin - hx);
    const right = sx.getPixelForValue(xMax + hx);
    const top = sy.getPixelForValue(yMax + hy);
    const bottom = sy.getPixelForValue(yMin - hy);
    ctx.save();
    ctx.beginPath();
    ctx.rect(area.left, area.top, area.width, area.height);
    ctx.clip();
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this._image, left, top, right - left, bottom - top);
    const s = this._segments;
    if (s.length) {
      ctx.strokeStyle = 'rgba(255, 255, 255, 0.45)';
      ctx.lineWidth = 1;
      ctx.beginPath();
      for (let i = 0; i < s.length; i += 4) {
        ctx.moveTo(sx.getPixelForValue(s[i]), sy.getPixelForValue(s[i + 1]));
        ctx.lineTo(sx.getPixelForValue(s[i + 2]), sy.getPixelForValue(s[i + 3]));
      }
      ctx.stroke();
    }
    ctx.restore();
  }

  /** The overlaid path (e.g. the optimiser's trajectory); stops at the first non-finite point. */
  setPath(xs, ys) {
    const data = [];
    for (let k = 0; k < xs.length; k += 1) {
      const x = finiteOrNaN(xs[k]);
      const y = finiteOrNaN(ys[k]);
      if (Number.isNaN(x) || Number.isNaN(y)) break;
      data.push({ x, y });
    }
    this.chart.data.datasets[0].data = data;
    this.chart.data.datasets[1].data = data;
    // Many points: draw the line only.
    this.chart.data.datasets[1].pointRadius = data.length > 60 ? 0 : 2;
  }

  clearPath() {
    this.setPath([], []);
  }

  /** The current point; NaN hides it. */
  setPoint(x, y) {
    this.current = Number.isFinite(x) && Number.isFinite(y) ? { x, y } : null;
    this.chart.data.datasets[2].data = this.current ? [this.current] : [];
  }

  _enablePick() {
    const canvas = this.canvas;
    canvas.tabIndex = 0;
    canvas.setAttribute('aria-roledescription', 'interactive chart');
    let active = false;
    const clampX = (x) => Math.min(this.extent.xMax, Math.max(this.extent.xMin, x));
    const clampY = (y) => Math.min(this.extent.yMax, Math.max(this.extent.yMin, y));
    const down = (e) => {
      const at = this.eventToData(e);
      if (!at) return;
      active = true;
      canvas.setPointerCapture(e.pointerId);
      e.preventDefault();
      this.onPick(clampX(at.x), clampY(at.y), 'start');
    };
    const move = (e) => {
      if (!active) return;
      const at = this.eventToData(e, { clampToArea: true });
      this.onPick(clampX(at.x), clampY(at.y), 'move');
    };
    const up = (e) => {
      if (!active) return;
      active = false;
      const at = this.eventToData(e, { clampToArea: true });
      this.onPick(clampX(at.x), clampY(at.y), 'end');
    };
    const key = (e) => {
      const dirs = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
      if (!dirs[e.key]) return;
      const { xMin, xMax, yMin, yMax } = this.extent;
      const from = this.current ?? { x: (xMin + xMax) / 2, y: (yMin + yMax) / 2 };
      const x = clampX(from.x + (dirs[e.key][0] * (xMax - xMin)) / 50);
      const y = clampY(from.y + (dirs[e.key][1] * (yMax - yMin)) / 50);
      e.preventDefault();
      this.onPick(x, y, 'key');
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
    const { xMin, xMax, yMin, yMax } = this.extent;
    let text = `${this.label}: ${this.valueLabel} over ${this.xLabel} from ${formatShort(xMin)} to ` +
      `${formatShort(xMax)} and ${this.yLabel} from ${formatShort(yMin)} to ${formatShort(yMax)}; ` +
      'darker is lower';
    const g = this.grid;
    if (g && g.argmin >= 0) {
      const c = g.argmin % g.nx;
      const r = Math.floor(g.argmin / g.nx);
      const x = xMin + (c * (xMax - xMin)) / (g.nx - 1);
      const y = yMin + (r * (yMax - yMin)) / (g.ny - 1);
      text += `; lowest ${this.valueLabel} ${formatShort(g.min)} near ${this.xLabel} = ${formatShort(x)}, ` +
        `${this.yLabel} = ${formatShort(y)}; highest ${formatShort(g.max)}`;
    }
    if (this.current) {
      text += `; current point ${this.xLabel} = ${formatShort(this.current.x)}, ${this.yLabel} = ${formatShort(this.current.y)}`;
    }
    const path = this.chart.data.datasets[1].data;
    if (path.length > 1) text += `; path of ${path.length - 1} steps`;
    if (this.onPick) text += '. Click or drag on the chart, or focus it and use the arrow keys, to move the point';
    return `${text}.`;
  }

  table() {
    const path = this.chart.data.datasets[1].data;
    return { columns: ['step', this.xLabel, this.yLabel],
      rows: sampleIndices(path.length).map((k) => [k, path[k].x, path[k].y]) };
  }
}
