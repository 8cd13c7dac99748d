// Two small charts used by the network lessons (backpropagation, attribution):
//
//   BarChart       one bar per category (layers, input features), one or more series side by
//                  side, linear or logarithmic value axis. Negative values are allowed on the
//                  linear axis; on the log axis values <= 0 are left out (no bar), and the
//                  axis keeps its limits while new values fit them (see _logLimits).
//   BoundaryChart  a classifier's predicted probability over a 2-D input plane as a colour image
//                  (orange = class 0, blue = class 1, pale = unsure), the p = 0.5 boundary as a
//                  dark line, and the data points on top (orange circles = class 0, blue
//                  triangles = class 1), one of them optionally ringed. The image and line are
//                  HeatmapChart's ('probability' colour scale), painted once per new grid; the
//                  data points are painted once into a layer of their own and copied over it.
//
// Both follow web/charts/base-chart.js: a <figure> with a canvas whose aria-label is a one-line
// summary, a hidden table of the numbers, update() once per frame, destroy() on disconnect.

import { Chart, BarController, BarElement, CategoryScale } from 'chart.js';
import { clipArea, getDatasetClipArea, unclipArea } from 'chart.js/helpers';
import {
  BaseChart, axis, COLORS, copyLayer, finiteOrNaN, FONT, layerKey, paintLayer, sameParts, sampleIndices, SERIES_COLORS,
  TICK_COLOR,
} from '../charts/base-chart.js';
import { HeatmapChart } from '../charts/heatmap-chart.js';
import { formatShort } from './format.js';

Chart.register(BarController, BarElement, CategoryScale);

const SLOT_NAMES_HEIGHT = 20; // room under a slotted bar chart's plot for the names (12 px font)

export class BarChart extends BaseChart {
  /**
   * @param {HTMLElement} host
   * @param {object} o
   * @param {string} o.label           what the chart shows
   * @param {string[]} o.categories    one label per bar group
   * @param {Array<{label:string, color?:string}>} [o.series]
   * @param {string} [o.xLabel] [o.yLabel]
   * @param {boolean} [o.log]          logarithmic value axis
   * @param {number} [o.slots]         a number of categories that can change (backprop-net's
   *   layers): the axis keeps this many places and the bars sit centred among them (see
   *   setCategories)
   */
  constructor(host, { label, categories = [], series = [{ label: 'value' }], xLabel = '', yLabel = '',
    log = false, slots = 0 } = {}) {
    super(host, { label });
    this.log = log;
    this.xLabel = xLabel;
    this.slots = slots;
    this.categories = []; // (Chart.js draws once while _create makes the chart)
    this._offset = 0;
    this._namesLayer = null; // the names alone, on a transparent canvas of the chart's size
    this._namesKey = '';
    this.series = series.map((s, i) => ({ ...s, color: s.color ?? SERIES_COLORS[i % SERIES_COLORS.length] }));
    const valueAxis = axis({ title: yLabel, type: log ? 'logarithmic' : 'linear' });
    if (!log) valueAxis.beginAtZero = true;
    const nameAxis = axis({ title: xLabel, type: 'category', grid: false });
    if (slots) {
      // The names are drawn under the bars by the plugin below; the axis keeps room for them.
      nameAxis.ticks.display = false;
      nameAxis.afterFit = (scale) => { scale.height += SLOT_NAMES_HEIGHT; };
    }
    this._create({
      type: 'bar',
      datasets: this.series.map((s) => ({ label: s.label, data: [], parsing: true,
        backgroundColor: s.color, borderColor: s.color, borderWidth: 1 })),
      scales: { x: nameAxis, y: valueAxis },
      legend: this.series.length > 1,
      plugins: slots ? [{ id: 'glSlotNames', afterDatasetsDraw: (chart) => this._drawNames(chart) }] : [],
    });
    this.setCategories(categories);
  }

  // With `slots`, the category axis always has the same places (unnamed), so that another number
  // of bars changes only the data: a move of backprop-net's layers slider then redraws the bars
  // over the kept axes instead of laying the chart out again (a full Chart.js update, 2–3 ms of a
  // frame). The n bars take the middle places; their names are drawn under them each redraw.
  setCategories(categories) {
    this.categories = [...categories];
    const places = this.slots && categories.length <= this.slots ? this.slots : 0;
    this._offset = places ? Math.floor((places - categories.length) / 2) : 0;
    const labels = places ? Array.from({ length: places }, (_, k) => `place ${k + 1}`) : this.categories;
    if (!sameParts(labels, this.chart.data.labels)) this.chart.data.labels = labels;
  }

  /** Values of series i, one per category. */
  setValues(i, values) {
    const data = new Array(this.chart.data.labels.length).fill(null);
    Array.from(values).forEach((v, k) => {
      const f = finiteOrNaN(v);
      data[this._offset + k] = this.log && !(f > 0) ? null : (Number.isNaN(f) ? null : f);
    });
    this.chart.data.datasets[i].data = data;
  }

  // The names change with the number of bars, not with their heights: they are written once
  // into a layer of their own and the band under the plot is copied from it at each redraw
  // (writing them again, three to five fillText calls with their font set, was ~0.25 ms of
  // each move of backprop-net's neurons slider, a new network whose bars all change).
  _drawNames(chart) {
    const x = chart.scales.x;
    const { ctx } = chart;
    if (!this.keepStill) { // (the browser tests' reference: written straight onto the chart)
      ctx.save();
      this._writeNames(ctx, x);
      ctx.restore();
      return;
    }
    const key = layerKey(chart, `${this._offset}:${this.categories.join('\n')}`);
    if (key !== this._namesKey) {
      this._namesLayer = paintLayer(this._namesLayer, chart, (layer) => this._writeNames(layer, x));
      this._namesKey = key;
    }
    const ratio = chart.canvas.width / Math.max(1, chart.width);
    const top = Math.max(0, Math.floor(x.top * ratio));
    const height = Math.min(chart.canvas.height - top, Math.ceil((SLOT_NAMES_HEIGHT + 4) * ratio));
    if (height <= 0 || !chart.canvas.width) return;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(this._namesLayer, 0, top, chart.canvas.width, height, 0, top, chart.canvas.width, height);
    ctx.restore();
  }

  _writeNames(ctx, x) {
    ctx.font = `${FONT.size}px ${FONT.family}`;
    ctx.fillStyle = TICK_COLOR;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    this.categories.forEach((name, k) => ctx.fillText(name, x.getPixelForValue(this._offset + k), x.top + 4));
  }

  /** Redraw; a log axis first gets its limits (see _logLimits). */
  update() {
    if (this.log) this._logLimits();
    super.update();
  }

  /**
   * The log axis in whole decades around the bars, kept while every bar fits (the shortest at
   * least twice the bottom, or it would barely show) and the tallest is within two decades of
   * the top. Values that change together (backprop-net's gradient norms: every move of its
   * neurons slider is a new network) then mostly redraw the bars only; limits fitted to every
   * new set of values relaid the chart, a full Chart.js update of ~6 ms, each time. While a
   * slider moves (growOnly, see BaseChart.hold) the limits only widen: bars far below the top
   * keep the axis until the hand rests.
   */
  _logLimits() {
    const y = this.chart.options.scales.y;
    const shown = this.chart.data.datasets.flatMap((d) => d.data).filter((v) => v > 0 && v < Infinity);
    if (!shown.length) {
      y.min = undefined;
      y.max = undefined;
      return;
    }
    const lo = Math.min(...shown);
    const hi = Math.max(...shown);
    if (lo / 2 >= y.min && hi <= y.max && hi >= y.max / 100) return;
    const bottom = Math.floor(Math.log10(lo / 2));
    let min = 10 ** bottom;
    let max = 10 ** Math.max(Math.ceil(Math.log10(hi)), bottom + 1);
    if (this.growOnly && y.min > 0 && y.max > 0) {
      min = Math.min(min, y.min);
      max = Math.max(max, y.max);
    }
    y.min = min;
    y.max = max;
  }

  _value(i, k) {
    const v = this.chart.data.datasets[i].data[this._offset + k];
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

/**
 * The classifier's probability over the input plane: a HeatmapChart with the 'probability' colour
 * scale (orange = class 0, near-white = 0.5, blue = class 1; the 0.5 boundary as a dark line)
 * and the data points as its datasets.
 */
export class BoundaryChart extends HeatmapChart {
  /**
   * @param {HTMLElement} host
   * @param {object} o
   * @param {string} [o.label]
   * @param {number} o.min o.max   extent of both axes (a square plane)
   * @param {(x:number, y:number)=>void} [o.onPick]  click on the plane
   */
  constructor(host, { label = 'Decision boundary', min = -6.5, max = 6.5, onPick } = {}) {
    super(host, {
      label, xLabel: 'x₁', yLabel: 'x₂', valueLabel: 'probability of class 1',
      xMin: min, xMax: max, yMin: min, yMax: max, colorScale: 'probability',
      datasets: [
        { label: 'class 0', data: [], backgroundColor: COLORS.orange, borderColor: '#ffffff',
          borderWidth: 1, pointRadius: 4, pointStyle: 'circle', order: 2, sorted: false },
        { label: 'class 1', data: [], backgroundColor: COLORS.blue, borderColor: '#ffffff',
          borderWidth: 1, pointRadius: 5, pointStyle: 'triangle', order: 2, sorted: false },
        { label: 'chosen example', data: [], backgroundColor: 'rgba(0,0,0,0)', borderColor: COLORS.ink,
          borderWidth: 3, pointRadius: 10, order: 1 },
      ],
    });
    this.onPick = onPick;
    this.accuracy = NaN;
    this._pointsVersion = 0; // bumped by setPoints
    this._pointsLayer = null; // the data points alone, on a transparent canvas of the chart's size
    this._pointsKey = '';
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
    this._pointsVersion += 1;
  }

  // The data points stay while the picture under them changes at every move of a slider (each
  // move of backprop-net's neurons slider is a new network): Chart.js would draw all of them
  // again each frame (a fill and an outline per point). They are painted once into a layer of
  // their own, copied onto the chart in place of the two class datasets, and painted again
  // when the points, the chart's size or its plot area change. The ring of the chosen example
  // (dataset 2) is drawn by Chart.js, on top.
  _drawDataset(chart, index) {
    if (index > 1) return true;
    // Chart.js draws datasets of equal `order` last index first: the layer goes down once, at
    // the first of the two.
    if (index === 1 || !chart.isDatasetVisible(1)) this._copyPoints(chart);
    return false;
  }

  _copyPoints(chart) {
    const key = layerKey(chart, this._pointsVersion);
    if (key !== this._pointsKey) {
      this._pointsLayer = paintLayer(this._pointsLayer, chart, (ctx) => {
        for (const i of [0, 1]) {
          if (!chart.isDatasetVisible(i)) continue;
          const meta = chart.getDatasetMeta(i);
          const clip = getDatasetClipArea(chart, meta); // as Chart.js clips the dataset's drawing
          if (clip) clipArea(ctx, clip);
          for (const point of meta.data) if (!point.hidden) point.draw(ctx, chart.chartArea);
          if (clip) unclipArea(ctx);
        }
      });
      this._pointsKey = key;
    }
    copyLayer(chart, this._pointsLayer);
  }

  /** Ring one point (null: none). */
  setChosen(point) {
    this.chart.data.datasets[2].data = point ? [{ x: point[0], y: point[1] }] : [];
  }

  /** Probabilities on an n × n grid; row r at y = min + r·step (row 0 at the bottom). */
  setGrid(probabilities, n) {
    super.setGrid(probabilities, n, n);
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
