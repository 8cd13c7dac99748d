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
// small differences near the minimum stay visible. The 'probability' scale (a classifier's
// output) is fixed to 0…1 instead, with the 0.5 boundary as its one contour.
//
// Speed: a slider move usually changes only the overlay (path, point), so the contours are
// painted once into an off-screen canvas and copied on every redraw; setGrid reuses its buffers
// and its marching squares allocate nothing per cell. The colour image is not drawn on the chart
// at all: it is a small canvas of its own (one pixel per grid point) placed under the chart's
// canvas and stretched over the plot by the browser's compositor (see _placeImage).

import { BaseChart, axis, COLORS, copyLayer, finiteOrNaN, layerKey, paintLayer, sampleIndices } from './base-chart.js';
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

// Probability palette ('probability' colour scale): orange (0, class 0) through near-white (0.5,
// unsure) to blue (1, class 1); values are taken as they are on a fixed 0…1 scale.
const P_LOW = [240, 178, 132];
const P_MID = [248, 248, 248];
const P_HIGH = [140, 178, 232];
const PROBABILITY_LUT = (() => {
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i += 1) {
    const t = i / 255;
    const [a, b, f] = t < 0.5 ? [P_LOW, P_MID, t / 0.5] : [P_MID, P_HIGH, (t - 0.5) / 0.5];
    for (let j = 0; j < 3; j += 1) lut[i * 3 + j] = a[j] + (b[j] - a[j]) * f;
  }
  return lut;
})();

/** The default overlay: an optimiser's path (unsorted: it doubles back) and the current point. */
function pathDatasets() {
  return [
    { label: 'path halo', type: 'line', data: [], borderColor: 'rgba(0,0,0,0.55)',
      borderWidth: 4.5, pointRadius: 0, order: 3, sorted: false },
    { label: 'path', type: 'line', data: [], borderColor: '#ffffff', borderWidth: 2,
      backgroundColor: '#ffffff', pointRadius: 2, pointBorderColor: 'rgba(0,0,0,0.6)',
      order: 2, sorted: false },
    { label: 'current point', data: [], backgroundColor: COLORS.red, borderColor: '#ffffff',
      borderWidth: 2.5, pointRadius: 7, order: 1 },
  ];
}

export class HeatmapChart extends BaseChart {
  /**
   * @param {HTMLElement} host
   * @param {object} o
   * @param {string} [o.label] [o.xLabel] [o.yLabel] [o.valueLabel]
   * @param {number} o.xMin o.xMax o.yMin o.yMax   extent of the grid (and axes)
   * @param {'log'|'linear'|'probability'} [o.colorScale]   default 'log'. 'probability': values
   *   in [0, 1] on a fixed scale, orange (0) – white (0.5) – blue (1), and one dark contour at 0.5
   * @param {number} [o.contours]   number of contour levels (0 = none), default 10
   * @param {object[]} [o.datasets]  Chart.js datasets drawn over the image (default: a path and
   *   the current point; setPath/setPoint use those)
   * @param {(x:number, y:number, phase:'start'|'move'|'end'|'key')=>void} [o.onPick]
   *   click/drag on the plot (or arrow keys when the chart has focus)
   */
  constructor(host, { label = 'Loss landscape', xLabel = 'w', yLabel = 'b', valueLabel = 'loss',
    xMin = -1, xMax = 1, yMin = -1, yMax = 1, colorScale = 'log', contours = 10, datasets, onPick } = {}) {
    super(host, { label, square: true });
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.valueLabel = valueLabel;
    this.extent = { xMin, xMax, yMin, yMax };
    this.colorScale = colorScale;
    this.contourCount = contours;
    this.onPick = onPick;
    this.grid = null; // { values, nx, ny, min, max, argmin }
    // The colour image, nx × ny pixels, shown under the chart's canvas (which is transparent
    // there) inside a box clipped to the plot area; see _placeImage.
    this._image = document.createElement('canvas');
    this._image.setAttribute('aria-hidden', 'true'); // (the chart's canvas has the text alternative)
    this._image.style.position = 'absolute';
    this._imageClip = document.createElement('div');
    this._imageClip.className = 'gl-heatmap-image';
    Object.assign(this._imageClip.style, { position: 'absolute', overflow: 'hidden', pointerEvents: 'none' });
    this._imageClip.hidden = true;
    this._imageClip.append(this._image);
    this.box.prepend(this._imageClip);
    this.canvas.style.position = 'relative'; // over the image (positioned, and later in the box)
    this._placeKey = '';
    this._pixels = null; // ImageData reused while the grid size stays
    this._scaled = null; // scaled values, reused
    this._segments = []; // contour segments in data coordinates: [x0, y0, x1, y1, ...]
    this._version = 0; // bumped when the picture under the datasets changes
    this._bg = null; // the contours (and a subclass's additions), painted once per version and chart size
    this._bgKey = '';
    this._directKey = ''; // the picture last painted straight onto the chart
    const imagePlugin = {
      id: 'glHeatmap',
      beforeDatasetsDraw: (chart) => this._drawUnder(chart),
      beforeDatasetDraw: (chart, args) => this._drawDataset(chart, args.index),
      // What _drawUnder paints (see BaseChart's _planBake); the layout is keyed apart.
      underKey: () => (this.grid ? `heatmap ${this._version}` : 'heatmap none'),
    };
    this._create({
      type: 'scatter',
      datasets: datasets ?? pathDatasets(),
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
    this._version += 1;
  }

  /** The colour [r, g, b] the image shows at data point (x, y) (its nearest grid point), or null. */
  colorAt(x, y) {
    if (!this.grid || !this._scaled) return null;
    const { nx, ny, values } = this.grid;
    const { xMin, xMax, yMin, yMax } = this.extent;
    const c = Math.round(((x - xMin) / (xMax - xMin)) * (nx - 1));
    const r = Math.round(((y - yMin) / (yMax - yMin)) * (ny - 1));
    if (!(c >= 0 && c < nx && r >= 0 && r < ny)) return null;
    const i = r * nx + c;
    if (!(values[i] > -Infinity && values[i] < Infinity)) return [...MISSING];
    const lut = this.colorScale === 'probability' ? PROBABILITY_LUT : LUT;
    const j = Math.round(this._scaled[i] * 255) * 3;
    return [lut[j], lut[j + 1], lut[j + 2]];
  }

  /** A number that changes whenever the picture under the datasets does (grid, extent). */
  get version() {
    return this._version;
  }

  /** Change the colour scale ('log' | 'linear' | 'probability'); call setGrid afterwards. */
  setColorScale(scale) {
    this.colorScale = scale;
  }

  /** Change what the chart is called (accessible name, axis titles). */
  setLabels({ label, xLabel, yLabel, valueLabel } = {}) {
    if (label !== undefined) this.label = label;
    if (valueLabel !== undefined) this.valueLabel = valueLabel;
    if (xLabel !== undefined) { this.xLabel = xLabel; this.chart.options.scales.x.title.text = xLabel; }
    if (yLabel !== undefined) { this.yLabel = yLabel; this.chart.options.scales.y.title.text = yLabel; }
  }

  /**
   * Set the scalar grid (ny rows × nx columns, row 0 at yMin).
   * @param {ArrayLike<number>} values
   */
  setGrid(values, nx, ny) {
    if (values.length !== nx * ny || nx < 2 || ny < 2) {
      throw new RangeError(`heatmap grid needs nx*ny = ${nx * ny} values (nx, ny >= 2), got ${values.length}`);
    }
    const n = values.length;
    let min = Infinity;
    let max = -Infinity;
    let argmin = -1;
    for (let i = 0; i < n; i += 1) {
      const v = values[i];
      if (!(v > -Infinity && v < Infinity)) continue;
      if (v < min) { min = v; argmin = i; }
      if (v > max) max = v;
    }
    this.grid = { values, nx, ny, min, max, argmin };
    if (!this._scaled || this._scaled.length !== n) this._scaled = new Float64Array(n);
    const t = this._scaled;
    const probability = this.colorScale === 'probability';
    const lo = probability ? 0 : min;
    const span = probability ? 1 : max - min;
    const log = this.colorScale === 'log';
    const k = 1000;
    const logK = Math.log1p(k);
    for (let i = 0; i < n; i += 1) {
      const v = values[i];
      if (!(v > -Infinity && v < Infinity)) { t[i] = 1; continue; }
      let u = span > 0 ? (v - lo) / span : 0;
      u = u < 0 ? 0 : u > 1 ? 1 : u;
      t[i] = log ? Math.log1p(k * u) / logK : u;
    }
    // Colour image: image row 0 is the top, i.e. grid row ny - 1. One ImageData, reused.
    if (this._image.width !== nx || this._image.height !== ny) {
      this._image.width = nx;
      this._image.height = ny;
      this._pixels = null;
    }
    const ctx = this._image.getContext('2d');
    this._pixels ??= ctx.createImageData(nx, ny);
    const data = this._pixels.data;
    const lut = probability ? PROBABILITY_LUT : LUT;
    for (let r = 0; r < ny; r += 1) {
      let o = (ny - 1 - r) * nx * 4;
      for (let c = 0, i = r * nx; c < nx; c += 1, i += 1, o += 4) {
        const v = values[i];
        if (v > -Infinity && v < Infinity) {
          const j = Math.round(t[i] * 255) * 3;
          data[o] = lut[j]; data[o + 1] = lut[j + 1]; data[o + 2] = lut[j + 2];
        } else {
          data[o] = MISSING[0]; data[o + 1] = MISSING[1]; data[o + 2] = MISSING[2];
        }
        data[o + 3] = 255;
      }
    }
    ctx.putImageData(this._pixels, 0, 0);
    const levels = [];
    if (probability) levels.push(0.5);
    else for (let q = 1; q <= this.contourCount; q += 1) levels.push(q / (this.contourCount + 1));
    this._segments = levels.length ? this._contours(t, nx, ny, levels) : [];
    this._version += 1;
  }

  /** Marching squares over the scaled grid at the given levels (no allocation per cell). */
  _contours(t, nx, ny, levels) {
    const { xMin, xMax, yMin, yMax } = this.extent;
    const dx = (xMax - xMin) / (nx - 1);
    const dy = (yMax - yMin) / (ny - 1);
    const out = [];
    for (const level of levels) {
      for (let r = 0; r < ny - 1; r += 1) {
        const y0 = yMin + r * dy;
        for (let c = 0; c < nx - 1; c += 1) {
          // corners: a (c, r) b (c+1, r) d (c+1, r+1) e (c, r+1)
          const a = t[r * nx + c];
          const b = t[r * nx + c + 1];
          const d = t[(r + 1) * nx + c + 1];
          const e = t[(r + 1) * nx + c];
          const code = (a > level ? 1 : 0) | (b > level ? 2 : 0) | (d > level ? 4 : 0) | (e > level ? 8 : 0);
          if (code === 0 || code === 15) continue;
          const x0 = xMin + c * dx;
          // crossing points on the four edges: bottom (B), right (R), top (T), left (L)
          const bx = x0 + ((level - a) / (b - a)) * dx;
          const ry = y0 + ((level - b) / (d - b)) * dy;
          const tx = x0 + ((level - e) / (d - e)) * dx;
          const ly = y0 + ((level - a) / (e - a)) * dy;
          const x1 = x0 + dx;
          const y1 = y0 + dy;
          switch (code) {
            case 1: case 14: out.push(x0, ly, bx, y0); break; // L-B
            case 2: case 13: out.push(bx, y0, x1, ry); break; // B-R
            case 3: case 12: out.push(x0, ly, x1, ry); break; // L-R
            case 4: case 11: out.push(x1, ry, tx, y1); break; // R-T
            case 6: case 9: out.push(bx, y0, tx, y1); break; // B-T
            case 7: case 8: out.push(x0, ly, tx, y1); break; // L-T
            case 5: // a and d high: saddle
              if ((a + b + d + e) / 4 > level) out.push(x0, ly, tx, y1, bx, y0, x1, ry);
              else out.push(x0, ly, bx, y0, x1, ry, tx, y1);
              break;
            case 10: // b and e high: saddle
              if ((a + b + d + e) / 4 > level) out.push(x0, ly, bx, y0, x1, ry, tx, y1);
              else out.push(x0, ly, tx, y1, bx, y0, x1, ry);
              break;
            default: break;
          }
        }
      }
    }
    return out;
  }

  // What lies under the datasets: the colour image (placed, see _placeImage), and on the chart's
  // canvas the contours and what a subclass adds (_paintBackground: partials-gradient's field of
  // arrows). Those change only with the grid, the extent or the chart's size, while the overlay
  // (path, point) changes on every slider move: paint them once into an off-screen canvas and
  // copy that on each redraw. Drawn for the first time, they are painted straight onto the
  // chart instead: while a slider reshapes the landscape, every frame has new ones, and the
  // off-screen copy would only add a full-canvas copy to each frame. The second frame with the
  // same picture (only the overlay moved) makes the off-screen copy.
  _drawUnder(chart) {
    this._placeImage(chart);
    if (!this.grid || this._underCovered) return; // (already in the chart's kept background)
    const key = layerKey(chart, this._version);
    if (key !== this._bgKey && key !== this._directKey) {
      this._directKey = key;
      this._paintBackground(chart.ctx, chart.chartArea, chart.scales);
      return;
    }
    if (key !== this._bgKey) {
      this._bg = paintLayer(this._bg, chart, (ctx) => this._paintBackground(ctx, chart.chartArea, chart.scales));
      this._bgKey = key;
    }
    copyLayer(chart, this._bg);
  }

  /** Before Chart.js draws dataset `index`: false draws it some other way (see BoundaryChart). */
  _drawDataset() {
    return true;
  }

  /**
   * The colour image over the plot area: its nx × ny pixels stretched so that pixel centres sit
   * on the grid points (the image reaches half a cell beyond the extent on each side, clipped to
   * the plot area), smoothed between them by the browser. Stretching the image on the chart's
   * canvas instead (drawImage with smoothing) was ~0.3 ms of the main thread per frame with a
   * new picture (a 30 × 30 grid over a 360-pixel plot, in software); a canvas element of its own
   * is stretched by the compositor, and a new picture is only its nx × ny pixels. Placed anew
   * when the plot area, the extent or the grid size change.
   */
  _placeImage(chart) {
    const clip = this._imageClip;
    if (!this.grid || !chart.chartArea) {
      clip.hidden = true;
      this._placeKey = '';
      return;
    }
    const { nx, ny } = this.grid;
    const { xMin, xMax, yMin, yMax } = this.extent;
    const area = chart.chartArea;
    const key = [area.left, area.top, area.right, area.bottom, xMin, xMax, yMin, yMax, nx, ny].join();
    if (key === this._placeKey) return;
    this._placeKey = key;
    const { x: sx, y: sy } = chart.scales;
    const hx = (xMax - xMin) / (nx - 1) / 2; // half a cell: pixel centres sit on grid points
    const hy = (yMax - yMin) / (ny - 1) / 2;
    const left = sx.getPixelForValue(xMin - hx);
    const right = sx.getPixelForValue(xMax + hx);
    const top = sy.getPixelForValue(yMax + hy);
    const bottom = sy.getPixelForValue(yMin - hy);
    const px = (v) => `${v}px`;
    Object.assign(clip.style, { left: px(area.left), top: px(area.top), width: px(area.right - area.left),
      height: px(area.bottom - area.top) });
    Object.assign(this._image.style, { left: px(left - area.left), top: px(top - area.top),
      width: px(right - left), height: px(bottom - top) });
    clip.hidden = false;
  }

  _paintBackground(ctx, area, { x: sx, y: sy }) {
    ctx.save();
    ctx.beginPath();
    ctx.rect(area.left, area.top, area.width, area.height);
    ctx.clip();
    const s = this._segments;
    if (s.length) {
      const probability = this.colorScale === 'probability';
      ctx.strokeStyle = probability ? COLORS.ink : 'rgba(255, 255, 255, 0.45)';
      ctx.lineWidth = probability ? 2 : 1;
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
    // The picked point is the current one at once: the widget moves the drawn point only in its
    // next frame, and an arrow key pressed before that must step from where the reader clicked.
    const pick = (x, y, phase) => {
      this.current = { x, y };
      this.onPick(x, y, phase);
    };
    const down = (e) => {
      const at = this.eventToData(e);
      if (!at) return;
      active = true;
      canvas.setPointerCapture(e.pointerId);
      e.preventDefault();
      pick(clampX(at.x), clampY(at.y), 'start');
    };
    const move = (e) => {
      if (!active) return;
      const at = this.eventToData(e, { clampToArea: true });
      pick(clampX(at.x), clampY(at.y), 'move');
    };
    const up = (e) => {
      if (!active) return;
      active = false;
      const at = this.eventToData(e, { clampToArea: true });
      pick(clampX(at.x), clampY(at.y), 'end');
    };
    const key = (e) => {
      const dirs = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
      if (!dirs[e.key]) return;
      const { xMin, xMax, yMin, yMax } = this.extent;
      const from = this.current ?? { x: (xMin + xMax) / 2, y: (yMin + yMax) / 2 };
      const x = clampX(from.x + (dirs[e.key][0] * (xMax - xMin)) / 50);
      const y = clampY(from.y + (dirs[e.key][1] * (yMax - yMin)) / 50);
      e.preventDefault();
      pick(x, y, 'key');
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
